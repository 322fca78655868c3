/**
 * The topic rooms flow: server events to the rooms state, user actions to
 * requests. Works beside the one-to-one chat's controller on the same client.
 * Each feature keeps its events and actions in a file of its own, sharing
 * ./room-context: being in rooms (./room-joining), writing (./room-sending),
 * edits, deletes and mentions (./room-edits), the moderators' tools
 * (./room-moderation), pins and reactions (./room-pins-reactions) and the
 * backstage (./room-backstage).
 */
import type { RoomSettingsPayload, RoomVisibility } from '@parley/protocol';
import type { ParleyClient } from '../app/connection';
import type { Settings } from '../app/settings';
import { createRoomsContext } from './room-context';
import { bindBackstage } from './room-backstage';
import { bindEdits } from './room-edits';
import { bindJoining } from './room-joining';
import { bindModeration } from './room-moderation';
import { bindPinsReactions } from './room-pins-reactions';
import { bindSending } from './room-sending';
import type { RoomRequests, RoomsApi } from './requests';
import type { RoomsStateStore, Tab } from './rooms-state';

export interface RoomActions {
  setTab(tab: Tab): void;
  refreshList(): Promise<void>;
  create(title: string, topic: string, visibility: RoomVisibility): Promise<void>;
  /** Joins (or re-opens) a room by code and shows it. */
  join(code: string): Promise<void>;
  open(code: string | null): void;
  leave(code: string): Promise<void>;
  send(code: string, text: string): void;
  retry(code: string, key: string): void;
  typing(code: string, isTyping: boolean): void;
  replyTo(seq: number | null): void;
  loadOlder(code: string): Promise<void>;
  deleteMessage(code: string, seq: number): Promise<void>;
  /** Puts an own message in the composer to edit (null: stop editing). */
  startEdit(seq: number | null): void;
  /** Sends the edited text of the message being edited. */
  edit(code: string, text: string): Promise<void>;
  dismissMention(): void;
  kick(code: string, name: string): Promise<void>;
  /** Host only: names a co-host, or makes one a member again. */
  setRole(code: string, name: string, role: 'cohost' | 'member'): Promise<void>;
  /** Host and co-hosts: mutes a member for `durationMs` (0 lifts it). */
  mute(code: string, name: string, durationMs: number): Promise<void>;
  /** Host only: true once saved. */
  saveSettings(payload: RoomSettingsPayload): Promise<boolean>;
  /** Host and co-hosts: pins a message for `durationMs`, or until unpinned. */
  pin(code: string, seq: number, durationMs?: number): Promise<void>;
  unpin(code: string, seq: number): Promise<void>;
  /** Adds (`on`) or removes the user's reaction. */
  react(code: string, seq: number, emoji: string, on: boolean): Promise<void>;
  /** Host, co-hosts and invited members: opens the room's backstage (the host opens it first) and shows it. */
  openBackstage(code: string): Promise<void>;
  /** Host only: invites a member of the room into its backstage. */
  inviteToBackstage(code: string, name: string): Promise<void>;
  setName(name: string): void;
  dismissClosed(): void;
  dismissError(): void;
  /** True until the room of the invite link the page opened on was tried. */
  joiningInvite(): boolean;
}

export function createRoomsController(
  client: ParleyClient,
  api: RoomRequests,
  rest: RoomsApi,
  store: RoomsStateStore,
  settings: Settings,
  invite: string | null,
  rulesAccepted: () => Promise<void> = () => Promise.resolve(),
): RoomActions {
  const ctx = createRoomsContext(client, api, rest, store, settings);
  const joining = bindJoining(ctx, invite, rulesAccepted);
  return {
    ...joining.actions,
    ...bindSending(ctx),
    ...bindEdits(ctx),
    ...bindModeration(ctx),
    ...bindPinsReactions(ctx),
    ...bindBackstage(ctx, joining.applyJoin, (code) => joining.actions.open(code)),
  };
}
