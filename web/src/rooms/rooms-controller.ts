/**
 * The topic rooms flow: server events to the rooms state, user actions to
 * requests. Works beside the one-to-one chat's controller on the same client.
 * Each feature keeps its events and actions in a file of its own, sharing
 * ./room-context: being in rooms (./room-joining), writing (./room-sending),
 * edits, deletes and mentions (./room-edits), the moderators' tools
 * (./room-moderation), pins and reactions (./room-pins-reactions) and the
 * backstage (./room-backstage).
 */
import type { ParleyClient } from '../app/connection';
import { describe } from '../app/errors';
import type { Settings } from '../app/settings';
import { createReadMarker } from './read-marker';
import type { RoomsContext } from './room-context';
import { bindBackstage, type BackstageActions } from './room-backstage';
import { bindEdits, type EditActions } from './room-edits';
import { bindJoining, type JoiningActions } from './room-joining';
import { bindModeration, type ModerationActions } from './room-moderation';
import { bindPinsReactions, type PinReactionActions } from './room-pins-reactions';
import { bindSending, type SendingActions } from './room-sending';
import type { RoomRequests, RoomsApi } from './requests';
import { updateRoom, type RoomsStateStore } from './rooms-state';

export type RoomActions = JoiningActions & SendingActions & EditActions & ModerationActions & PinReactionActions & BackstageActions;

/** A typing name with no `false` after this long is dropped (the server has no timeout for rooms). */
const TYPING_STALE_MS = 8000;

function createRoomsContext(client: ParleyClient, api: RoomRequests, rest: RoomsApi, store: RoomsStateStore, settings: Settings): RoomsContext {
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const setTyping = (code: string, name: string, isTyping: boolean) => {
    const key = `${code}\n${name}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    if (isTyping) typingTimers.set(key, setTimeout(() => setTyping(code, name, false), TYPING_STALE_MS));
    updateRoom(store, code, (room) => {
      const has = room.typing.includes(name);
      if (has === isTyping) return room;
      return { ...room, typing: isTyping ? [...room.typing, name] : room.typing.filter((n) => n !== name) };
    });
  };
  return {
    client,
    api,
    rest,
    store,
    settings,
    reads: createReadMarker(store, api.read),
    fail: (scope, problem) => store.set({ error: { scope, text: describe(problem, settings.maxMessageLength) } }),
    setTyping,
  };
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
