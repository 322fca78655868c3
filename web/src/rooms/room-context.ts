/**
 * What every part of the rooms flow shares: the client and its requests, the
 * rooms state, the page's limits, the read marker, the typing names and the
 * way an error reaches the screen. Built once by ./rooms-controller and
 * handed to each feature's actions (./room-joining, ./room-sending,
 * ./room-edits, ./room-moderation, ./room-pins-reactions, ./room-backstage).
 */
import type { ParleyClient } from '../app/connection';
import { describe, type Problem } from '../app/errors';
import type { Settings } from '../app/settings';
import { createReadMarker, type ReadMarker } from './read-marker';
import type { RoomRequests, RoomsApi } from './requests';
import { updateRoom, type RoomsStateStore } from './rooms-state';

/** A typing name with no `false` after this long is dropped (the server has no timeout for rooms). */
const TYPING_STALE_MS = 8000;

export interface RoomsContext {
  client: ParleyClient;
  api: RoomRequests;
  rest: RoomsApi;
  store: RoomsStateStore;
  settings: Settings;
  reads: ReadMarker;
  /** Shows `problem` on the rooms list screen or in the room. */
  fail(scope: 'browse' | 'room', problem: Problem): void;
  /** Shows or drops `name` among the room's typing names. */
  setTyping(code: string, name: string, isTyping: boolean): void;
}

export function createRoomsContext(client: ParleyClient, api: RoomRequests, rest: RoomsApi, store: RoomsStateStore, settings: Settings): RoomsContext {
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
