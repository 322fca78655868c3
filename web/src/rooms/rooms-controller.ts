/**
 * The topic rooms flow: server events to the rooms state, user actions to
 * requests. Works beside the one-to-one chat's controller on the same client.
 * The client (@parley/client) follows every room joined: after a reconnect it
 * joins it again from the last seq delivered (with the room's epoch), and
 * every message, own ones once acknowledged, arrives once and in seq order as
 * `room-message`. Joining waits until the rules were accepted (a first visit through an
 * invite link answers the rules dialog before its room is joined). Unread
 * counts come from the server (join, `room-unread`) and ./read-marker; a room
 * the identity joined on another device is joined here when the server names it.
 */
import type { RoomJoinResult, RoomSettingsPayload, RoomVisibility } from '@parley/protocol';
import { failureProblem, type Failure, type ParleyClient } from '../app/connection';
import { describe, type Problem } from '../app/errors';
import { formatTime } from '../app/format';
import { characterCount } from '../ui/length-counter';
import type { Settings } from '../app/settings';
import {
  addOlderPage,
  deleteMessage,
  editMessage,
  EMPTY_TIMELINE,
  findBySeq,
  mergeMessages,
  olderPageQuery,
  setReactions,
  takeReactions,
} from './room-timeline';
import { createReadMarker } from './read-marker';
import { editWindowEnd } from './deadlines';
import { serverCount } from './unread';
import type { RoomRequests, RoomsApi } from './requests';
import { dropRoom, joinedFrom, updateRoom, type ClosedRoom, type JoinedRoom, type RoomsStateStore, type Tab } from './rooms-state';
import { readRoomName, readSavedRooms, saveRoomName, writeSavedRooms } from './saved-rooms';

/** A send refused by slow mode (the composer shows the seconds left). */
const SLOW_MODE_TEXT = 'Slow mode is on. You can send again when the countdown ends.';

/** An edit or delete of an own message the edit window no longer allows. */
const EDIT_CLOSED_TEXT = 'The time to change this message has passed.';

/** A typing name with no `false` after this long is dropped (the server has no timeout for rooms). */
const TYPING_STALE_MS = 8000;
/** A mention toast goes by itself after this long. */
const MENTION_TOAST_MS = 8000;

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
  let firstConnect = true;
  let invitePending = invite !== null;
  let pendingKey = 0;
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const { seen, schedule: scheduleRead, onScreen, flush: flushRead } = createReadMarker(store, api.read);
  /** Rooms of this identity the page is joining because the server named them (another device joined them). */
  const adopting = new Set<string>();
  let mentionTimer: ReturnType<typeof setTimeout> | undefined;

  const fail = (scope: 'browse' | 'room', problem: Problem) =>
    store.set({ error: { scope, text: describe(problem, settings.maxMessageLength) } });

  /** A refused send: a mute says until when; slow mode starts the composer's countdown. */
  const refusedSend = (code: string, failure: Failure) => {
    if (failure.problem === 'MUTED' && failure.until) {
      return store.set({ error: { scope: 'room', text: `You’re muted in this room until ${formatTime(failure.until)}.` } });
    }
    if (failure.problem === 'SLOW_MODE' && failure.retryAfterMs !== undefined) {
      const until = Date.now() + failure.retryAfterMs;
      updateRoom(store, code, (r) => ({ ...r, slowUntil: until }));
      return store.set({ error: { scope: 'room', text: SLOW_MODE_TEXT } });
    }
    fail('room', failure.problem);
  };

  /** After a send of a plain member in slow mode: the wait before the next one. */
  const startSlowMode = (room: JoinedRoom): JoinedRoom =>
    room.settings.slowModeS > 0 && room.you.role === 'member' ? { ...room, slowUntil: Date.now() + room.settings.slowModeS * 1000 } : room;

  const persist = () =>
    writeSavedRooms([...store.get().joined.values()].map((r) => ({ code: r.info.code, name: r.you.name })));

  const showPath = (code: string | null) => {
    const path = code ? `/r/${code}` : '/';
    if (window.location.pathname !== path) window.history.replaceState(null, '', path);
  };

  const setTypingName = (code: string, name: string, isTyping: boolean) => {
    const key = `${code}\n${name}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    if (isTyping) typingTimers.set(key, setTimeout(() => setTypingName(code, name, false), TYPING_STALE_MS));
    updateRoom(store, code, (room) => {
      const has = room.typing.includes(name);
      if (has === isTyping) return room;
      return { ...room, typing: isTyping ? [...room.typing, name] : room.typing.filter((n) => n !== name) };
    });
  };

  /** Records a join ack: a new entry, or fresh members and the messages missed for one already held. */
  const applyJoin = (result: RoomJoinResult) => {
    const code = result.room.code;
    const held = store.get().joined.get(code);
    const settings = { slowModeS: result.slowModeS, description: result.description, rules: result.rules };
    const base = held ?? joinedFrom(result.room, result.you, result.members, settings);
    const backstageOf = result.backstageOf ?? null;
    const room = serverCount({ ...base, info: result.room, you: result.you, members: result.members, settings, pins: result.pins, backstageOf }, result);
    const joined = new Map(store.get().joined);
    joined.set(code, { ...room, timeline: takeReactions(mergeMessages(room.timeline, result.messages), result.messages) });
    store.set({ joined });
    persist();
    scheduleRead(code);
  };

  /** The identity is in a room this page does not hold (joined on another device): join it here too. */
  const adopt = async (code: string) => {
    if (adopting.has(code) || store.get().joined.has(code) || readSavedRooms().some((r) => r.code === code)) return;
    adopting.add(code);
    try {
      await rulesAccepted();
      // Without a name the membership keeps the one it has.
      const outcome = await api.join({ code });
      if (outcome.ok) applyJoin(outcome);
    } finally {
      adopting.delete(code);
    }
  };

  const closeRoom = (code: string, reason: ClosedRoom['reason']) => {
    const room = store.get().joined.get(code);
    const wasActive = store.get().active === code;
    dropRoom(store, code);
    persist();
    if (room) store.set({ closed: { code, title: room.info.title, reason } });
    if (wasActive) showPath(null);
  };

  const rejoinFailed = (code: string, problem: Problem) => {
    if (problem === 'KICKED' || problem === 'ROOM_NOT_FOUND') closeRoom(code, problem === 'KICKED' ? 'kicked' : 'gone');
  };

  /** After a reload: the rooms this browser was in, then the room of the invite link. */
  const restore = async () => {
    await rulesAccepted();
    for (const saved of readSavedRooms()) {
      const outcome = await api.join({ code: saved.code, name: saved.name });
      if (outcome.ok) applyJoin(outcome);
    }
    persist();
    if (invite) await actions.join(invite).finally(() => (invitePending = false));
  };

  // --- server events -------------------------------------------------------

  client.on('connect', () => {
    if (!firstConnect) return;
    firstConnect = false;
    void restore();
  });

  // After a reconnect the client joins every followed room again by itself, from the newest seq it
  // delivered (those messages came as room-message events): the answer brings the members as they are now.
  client.on('room-rejoined', ({ room }) => applyJoin({ ...room, messages: [] }));

  client.on('room-message', (event) => {
    const { code, epoch: _epoch, mine, ...message } = event;
    if (!mine) setTypingName(code, message.name, false);
    updateRoom(store, code, (room) => ({ ...room, timeline: mergeMessages(room.timeline, [message]) }));
    seen(code, message.seq);
  });

  client.on('room-message-edited', ({ code, seq, ...edit }) => {
    updateRoom(store, code, (room) => ({ ...room, timeline: editMessage(room.timeline, seq, edit) }));
  });

  client.on('room-unread', (event) => {
    if (!store.get().joined.has(event.code)) return void adopt(event.code);
    updateRoom(store, event.code, (room) => serverCount(room, event));
    scheduleRead(event.code);
  });

  client.on('room-mention', ({ code, name, text }) => {
    const room = store.get().joined.get(code);
    if (!room || onScreen(code)) return;
    clearTimeout(mentionTimer);
    store.set({ mention: { code, title: room.info.title, name, text } });
    mentionTimer = setTimeout(() => store.set({ mention: null }), MENTION_TOAST_MS);
  });


  client.on('room-presence', ({ code, members, left }) => {
    if (left) setTypingName(code, left.name, false);
    updateRoom(store, code, (room) => {
      // A change of one's own role or mute comes as a member like any other.
      const you = members.find((m) => m.name === room.you.name) ?? room.you;
      return { ...room, members, you, info: { ...room.info, members: members.length } };
    });
  });

  client.on('room-updated', ({ code, ...changed }) => updateRoom(store, code, (room) => ({ ...room, settings: changed })));

  client.on('room-typing', ({ code, name, isTyping }) => setTypingName(code, name, isTyping));

  client.on('room-message-deleted', ({ code, seq }) => {
    updateRoom(store, code, (room) => ({ ...room, timeline: deleteMessage(room.timeline, seq) }));
    if (store.get().active === code && store.get().replyTo === seq) store.set({ replyTo: null });
    if (store.get().active === code && store.get().editing === seq) store.set({ editing: null });
  });

  client.on('room-pins', ({ code, pins }) => updateRoom(store, code, (room) => ({ ...room, pins })));

  client.on('room-reactions', ({ code, seq, reactions }) =>
    updateRoom(store, code, (room) => ({ ...room, timeline: setReactions(room.timeline, seq, reactions) })),
  );

  client.on('room-rejoin-failed', ({ code, error }) => rejoinFailed(code, failureProblem(error)));

  // The room's history was lost: what the server still has follows.
  client.on('stream-reset', ({ stream }) => {
    if (stream.kind === 'room') updateRoom(store, stream.code, (room) => ({ ...room, timeline: EMPTY_TIMELINE }));
  });

  client.on('room-kicked', ({ code, removed }) =>
    closeRoom(code, removed ? 'gone' : store.get().joined.get(code)?.backstageOf ? 'left' : 'kicked'),
  );

  client.on('room-backstage-invite', ({ code, by }) => updateRoom(store, code, (room) => ({ ...room, backstageBy: by })));

  // --- user actions --------------------------------------------------------

  const deliver = async (code: string, key: string) => {
    const room = store.get().joined.get(code);
    const item = room?.pending.find((p) => p.key === key);
    if (!room || !item) return;
    updateRoom(store, code, (r) => ({
      ...r,
      pending: r.pending.map((p) => (p.key === key ? { ...p, status: 'sending' as const } : p)),
    }));
    const outcome = await api.send({ code, text: item.text, ...(item.replyTo ? { replyTo: item.replyTo } : {}) });
    if (outcome.ok) {
      const { seq, id, sentAt, kind = 'member' } = outcome.message;
      updateRoom(store, code, (r) => ({
        ...startSlowMode(r),
        pending: r.pending.filter((p) => p.key !== key),
        timeline: mergeMessages(r.timeline, [{ seq, id, sentAt, kind, name: r.you.name, text: item.text, ...(item.replyTo ? { replyTo: item.replyTo } : {}) }]),
      }));
      seen(code, seq);
      return;
    }
    updateRoom(store, code, (r) => ({
      ...r,
      pending: r.pending.map((p) => (p.key === key ? { ...p, status: 'failed' as const } : p)),
    }));
    refusedSend(code, outcome);
  };

  const isOwn = (code: string, seq: number): boolean => {
    const room = store.get().joined.get(code);
    return room !== undefined && findBySeq(room.timeline, seq)?.name === room.you.name;
  };

  /** The server refused to change an own message (its clock says the window closed): its buttons go. */
  const editClosed = (code: string, seq: number) => {
    updateRoom(store, code, (r) => (r.editsClosed.includes(seq) ? r : { ...r, editsClosed: [...r.editsClosed, seq] }));
    store.set({ error: { scope: 'room', text: EDIT_CLOSED_TEXT } });
  };

  const actions: RoomActions = {
    setTab(tab) {
      store.set({ tab });
      if (tab === 'rooms' && store.get().list === null) void actions.refreshList();
      const active = store.get().active;
      if (tab === 'rooms' && active) scheduleRead(active);
    },
    async refreshList() {
      const outcome = await rest.list();
      if (outcome.ok) store.set({ list: outcome.rooms, listFailed: false });
      else store.set({ listFailed: true });
    },
    async create(title, topic, visibility) {
      if (store.get().busy) return;
      store.set({ busy: true, error: null, closed: null });
      const created = await api.create({ title: title.trim(), visibility, ...(topic.trim() ? { topic: topic.trim() } : {}) });
      store.set({ busy: false });
      if (!created.ok) return fail('browse', created.problem);
      await actions.join(created.room.code);
      void actions.refreshList();
    },
    async join(code) {
      store.set({ tab: 'rooms', error: null, closed: null });
      if (store.get().joined.has(code)) return actions.open(code);
      store.set({ busy: true });
      const name = readRoomName();
      const outcome = await api.join({ code, ...(name ? { name } : {}) });
      store.set({ busy: false });
      if (!outcome.ok) {
        if (window.location.pathname !== '/') showPath(null);
        return fail('browse', outcome.problem);
      }
      applyJoin(outcome);
      actions.open(code);
    },
    open(code) {
      if (code !== null && !store.get().joined.has(code)) return;
      const leaving = store.get().active;
      if (leaving && leaving !== code) flushRead(leaving);
      store.set({ active: code, replyTo: null, editing: null, error: null, ...(code ? { tab: 'rooms' as const, closed: null } : {}) });
      if (code && store.get().mention?.code === code) store.set({ mention: null });
      showPath(code);
      if (code === null) void actions.refreshList();
      else scheduleRead(code);
    },
    async leave(code) {
      dropRoom(store, code);
      persist();
      showPath(null);
      void actions.refreshList();
      const outcome = await api.leave(code);
      if (!outcome.ok && outcome.problem !== 'NOT_IN_ROOM') fail('browse', outcome.problem);
    },
    send(code, raw) {
      const text = raw.trim();
      if (!text) return fail('room', 'EMPTY_MESSAGE');
      if (characterCount(text) > settings.maxMessageLength) return fail('room', 'MESSAGE_TOO_LONG');
      const slowUntil = store.get().joined.get(code)?.slowUntil ?? 0;
      // The server would refuse it: the text stays in the composer while the countdown runs.
      if (slowUntil > Date.now()) return store.set({ error: { scope: 'room', text: SLOW_MODE_TEXT } });
      const replyTo = store.get().replyTo ?? undefined;
      const key = `p${++pendingKey}`;
      store.set({ error: null, replyTo: null });
      updateRoom(store, code, (room) => ({
        ...room,
        pending: [...room.pending, { key, text, at: Date.now(), status: 'sending', ...(replyTo ? { replyTo } : {}) }],
      }));
      void deliver(code, key);
    },
    retry(code, key) {
      store.set({ error: null });
      void deliver(code, key);
    },
    typing(code, isTyping) {
      if (store.get().joined.has(code)) api.typing(code, isTyping);
    },
    replyTo(seq) {
      store.set({ replyTo: seq });
    },
    async loadOlder(code) {
      const room = store.get().joined.get(code);
      const query = room && !room.loadingOlder ? olderPageQuery(room.timeline) : null;
      if (!query) return;
      updateRoom(store, code, (r) => ({ ...r, loadingOlder: true }));
      const page = await rest.history(code, query.before, query.limit);
      updateRoom(store, code, (r) => ({
        ...r,
        loadingOlder: false,
        ...(page.ok ? { timeline: takeReactions(addOlderPage(r.timeline, page), page.messages) } : {}),
      }));
      if (!page.ok) fail('room', page.problem);
    },
    async deleteMessage(code, seq) {
      const outcome = await api.deleteMessage(code, seq);
      if (outcome.ok) updateRoom(store, code, (r) => ({ ...r, timeline: deleteMessage(r.timeline, seq) }));
      else if (outcome.problem === 'NOT_ALLOWED' && isOwn(code, seq)) editClosed(code, seq);
      else fail('room', outcome.problem);
    },
    startEdit(seq) {
      store.set({ editing: seq, replyTo: null, error: null });
    },
    async edit(code, raw) {
      const seq = store.get().editing;
      const held = seq === null ? undefined : findBySeq(store.get().joined.get(code)?.timeline ?? EMPTY_TIMELINE, seq);
      const text = raw.trim();
      if (seq === null) return;
      if (!text) return fail('room', 'EMPTY_MESSAGE');
      if (characterCount(text) > settings.maxMessageLength) return fail('room', 'MESSAGE_TOO_LONG');
      // The window closed while the text was being changed: it stays in the composer until the user cancels.
      if (held && Date.now() >= editWindowEnd(held, settings.roomEditWindowMs)) return store.set({ error: { scope: 'room', text: EDIT_CLOSED_TEXT } });
      store.set({ editing: null, error: null });
      if (held?.text === text) return;
      const outcome = await api.edit(code, seq, text);
      if (outcome.ok) updateRoom(store, code, (r) => ({ ...r, timeline: editMessage(r.timeline, seq, outcome.message) }));
      else if (outcome.problem === 'NOT_ALLOWED') editClosed(code, seq);
      else fail('room', outcome.problem);
    },
    dismissMention() {
      clearTimeout(mentionTimer);
      store.set({ mention: null });
    },
    async kick(code, name) {
      const outcome = await api.kick(code, name);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async setRole(code, name, role) {
      const outcome = await api.setRole(code, name, role);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async mute(code, name, durationMs) {
      const outcome = await api.mute(code, name, durationMs);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async saveSettings(payload) {
      const outcome = await api.settings(payload);
      if (!outcome.ok) {
        fail('room', outcome.problem);
        return false;
      }
      const { slowModeS, description, rules } = outcome.room;
      updateRoom(store, payload.code, (r) => ({ ...r, settings: { slowModeS, description, rules } }));
      return true;
    },
    async pin(code, seq, durationMs) {
      const outcome = await api.pin(code, seq, durationMs);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async unpin(code, seq) {
      const outcome = await api.unpin(code, seq);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async react(code, seq, emoji, on) {
      const outcome = await api.react(code, seq, emoji, on);
      if (!outcome.ok) fail('room', outcome.problem);
    },
    async openBackstage(code) {
      const found = await api.backstage(code);
      if (!found.ok) return fail('room', found.problem);
      updateRoom(store, code, (r) => ({ ...r, backstageBy: null }));
      const backstage = found.backstage.code;
      if (!store.get().joined.has(backstage)) {
        // Without a name one goes by one's name in the main room.
        const outcome = await api.join({ code: backstage });
        if (!outcome.ok) return fail('room', outcome.problem);
        applyJoin(outcome);
      }
      actions.open(backstage);
    },
    async inviteToBackstage(code, name) {
      const outcome = await api.backstage(code, name);
      if (!outcome.ok) return fail('room', outcome.problem);
      updateRoom(store, code, (r) => (r.backstageInvited.includes(name) ? r : { ...r, backstageInvited: [...r.backstageInvited, name] }));
    },
    setName(name) {
      saveRoomName(name.trim());
    },
    dismissClosed() {
      store.set({ closed: null });
    },
    dismissError() {
      store.set({ error: null });
    },
    joiningInvite: () => invitePending,
  };
  return actions;
}

