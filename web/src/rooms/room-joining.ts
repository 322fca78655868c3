/**
 * Being in rooms: creating and joining one, showing and leaving it, the room
 * list, and the rooms this browser was in after a reload (then the room of the
 * invite link the page opened on). Joining waits until the rules were accepted
 * (a first visit through an invite link answers the rules dialog before its
 * room is joined). After a reconnect the client joins every followed room again
 * by itself; the answer brings the members as they are now. Unread counts come
 * from the server (join, `room-unread`) and ./read-marker; a room the identity
 * joined on another device is joined here when the server names it. A room
 * one was removed from, or that is gone, closes with a notice.
 */
import type { RoomJoinResult, RoomVisibility } from '@parley/protocol';
import { failureProblem } from '../app/connection';
import type { Problem } from '../app/errors';
import type { RoomsContext } from './room-context';
import { EMPTY_TIMELINE, mergeMessages, takeReactions } from './room-timeline';
import { dropRoom, joinedFrom, updateRoom, type ClosedRoom, type Tab } from './rooms-state';
import { readRoomName, readSavedRooms, saveRoomName, writeSavedRooms } from './saved-rooms';
import { serverCount } from './unread';

export interface JoiningActions {
  setTab(tab: Tab): void;
  refreshList(): Promise<void>;
  create(title: string, topic: string, visibility: RoomVisibility): Promise<void>;
  /** Joins (or re-opens) a room by code and shows it. */
  join(code: string): Promise<void>;
  open(code: string | null): void;
  leave(code: string): Promise<void>;
  setName(name: string): void;
  dismissClosed(): void;
  dismissError(): void;
  /** True until the room of the invite link the page opened on was tried. */
  joiningInvite(): boolean;
}

export interface Joining {
  actions: JoiningActions;
  /** Records a join ack: a new entry, or fresh members and the messages missed for one already held. */
  applyJoin(result: RoomJoinResult): void;
}

export function bindJoining(ctx: RoomsContext, invite: string | null, rulesAccepted: () => Promise<void>): Joining {
  const { client, api, rest, store, reads, fail } = ctx;
  let firstConnect = true;
  let invitePending = invite !== null;
  /** Rooms of this identity the page is joining because the server named them (another device joined them). */
  const adopting = new Set<string>();

  const persist = () =>
    writeSavedRooms([...store.get().joined.values()].map((r) => ({ code: r.info.code, name: r.you.name })));

  const showPath = (code: string | null) => {
    const path = code ? `/r/${code}` : '/';
    if (window.location.pathname !== path) window.history.replaceState(null, '', path);
  };

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
    reads.schedule(code);
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

  client.on('connect', () => {
    if (!firstConnect) return;
    firstConnect = false;
    void restore();
  });

  // After a reconnect the client joins every followed room again by itself, from the newest seq it
  // delivered (those messages came as room-message events): the answer brings the members as they are now.
  client.on('room-rejoined', ({ room }) => applyJoin({ ...room, messages: [] }));

  client.on('room-unread', (event) => {
    if (!store.get().joined.has(event.code)) return void adopt(event.code);
    updateRoom(store, event.code, (room) => serverCount(room, event));
    reads.schedule(event.code);
  });

  client.on('room-presence', ({ code, members, left }) => {
    if (left) ctx.setTyping(code, left.name, false);
    updateRoom(store, code, (room) => {
      // A change of one's own role or mute comes as a member like any other.
      const you = members.find((m) => m.name === room.you.name) ?? room.you;
      return { ...room, members, you, info: { ...room.info, members: members.length } };
    });
  });

  client.on('room-rejoin-failed', ({ code, error }) => rejoinFailed(code, failureProblem(error)));

  // The room's history was lost: what the server still has follows.
  client.on('stream-reset', ({ stream }) => {
    if (stream.kind === 'room') updateRoom(store, stream.code, (room) => ({ ...room, timeline: EMPTY_TIMELINE }));
  });

  client.on('room-kicked', ({ code, removed }) =>
    closeRoom(code, removed ? 'gone' : store.get().joined.get(code)?.backstageOf ? 'left' : 'kicked'),
  );

  const actions: JoiningActions = {
    setTab(tab) {
      store.set({ tab });
      if (tab === 'rooms' && store.get().list === null) void actions.refreshList();
      const active = store.get().active;
      if (tab === 'rooms' && active) reads.schedule(active);
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
      if (leaving && leaving !== code) reads.flush(leaving);
      store.set({ active: code, replyTo: null, editing: null, error: null, ...(code ? { tab: 'rooms' as const, closed: null } : {}) });
      if (code && store.get().mention?.code === code) store.set({ mention: null });
      showPath(code);
      if (code === null) void actions.refreshList();
      else reads.schedule(code);
    },
    async leave(code) {
      dropRoom(store, code);
      persist();
      showPath(null);
      void actions.refreshList();
      const outcome = await api.leave(code);
      if (!outcome.ok && outcome.problem !== 'NOT_IN_ROOM') fail('browse', outcome.problem);
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
  return { actions, applyJoin };
}
