/** The topic rooms' requests (through the client, as promises that never reject) and REST reads. */
import type { RoomCreatePayload, RoomInfo, RoomJoinPayload, RoomMessage, RoomMessagePayload, RoomSettingsPayload } from '@parley/protocol';
import { settle, typingSignal, type Outcome, type ParleyClient } from '../app/connection';
import { problemOf } from '../app/errors';
import { readToken } from '../app/identity';

export function roomRequests(client: ParleyClient) {
  return {
    create: (payload: RoomCreatePayload) => settle(() => client.createRoom(payload)),
    /** Follows the room: the client joins it again after every reconnect, from the last seq delivered. */
    join: ({ code, ...options }: RoomJoinPayload) => settle(() => client.joinRoom(code, options)),
    leave: (code: string) => settle(() => client.leaveRoom(code)),
    /** Queued until acknowledged: waits out a dropped connection and is retried with its clientId, stored once. */
    send: ({ code, text, replyTo }: RoomMessagePayload) =>
      settle(async () => ({ message: await client.sendRoom(code, text, replyTo ? { replyTo } : {}) })),
    deleteMessage: (code: string, seq: number) => settle(() => client.deleteRoomMessage(code, seq)),
    edit: (code: string, seq: number, text: string) => settle(() => client.editRoomMessage(code, seq, text)),
    read: (code: string, seq: number) => settle(() => client.markRoomRead(code, seq)),
    kick: (code: string, name: string) => settle(() => client.kick(code, name)),
    setRole: (code: string, name: string, role: 'cohost' | 'member') => settle(() => client.setRoomRole(code, name, role)),
    mute: (code: string, name: string, durationMs: number) => settle(() => client.muteInRoom(code, name, durationMs)),
    settings: (payload: RoomSettingsPayload) => settle(() => client.roomSettings(payload)),
    pin: (code: string, seq: number, durationMs?: number) => settle(() => client.pin(code, seq, durationMs)),
    unpin: (code: string, seq: number) => settle(() => client.unpin(code, seq)),
    react: (code: string, seq: number, emoji: string, on: boolean) => settle(() => client.react(code, seq, emoji, on)),
    /** The room's backstage (opened by its host), or with `invite` a member invited into it. */
    backstage: (code: string, invite?: string) => settle(() => client.backstage(code, invite)),
    typing: (code: string, isTyping: boolean) => typingSignal(client, (c) => c.roomTyping(code, isTyping)),
  };
}

export type RoomRequests = ReturnType<typeof roomRequests>;

async function getJson<T extends object>(url: string, headers: Record<string, string> = {}, cache?: 'no-cache'): Promise<Outcome<T>> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, ...(cache ? { cache } : {}) });
    const body = (await res.json().catch(() => ({}))) as T & { error?: { code?: string } };
    if (res.ok) return { ok: true, ...body };
    return { ok: false, problem: problemOf(body.error as never) };
  } catch {
    return { ok: false, problem: 'UNAVAILABLE' };
  }
}

/** The identity token as a bearer: a private room's history is for its members only. */
function asMember(): Record<string, string> {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Pages of the public list read at most (100 rooms each): the busiest rooms come first, so this is plenty. */
const LIST_PAGES = 5;

/** The public list, page after page (de-duplicated: pages may come from copies a few seconds apart). */
async function listRooms(): Promise<Outcome<{ rooms: RoomInfo[] }>> {
  const rooms = new Map<string, RoomInfo>();
  let offset: number | null = 0;
  for (let page = 0; page < LIST_PAGES && offset !== null; page++) {
    // The server's copy is a few seconds old at most; the browser asks again each time (a 304 when unchanged).
    const got: Outcome<{ rooms: RoomInfo[]; nextOffset?: number | null }> = await getJson(`/api/rooms?offset=${offset}`, {}, 'no-cache');
    if (!got.ok) return page === 0 ? got : { ok: true, rooms: [...rooms.values()] };
    for (const room of got.rooms) if (!rooms.has(room.code)) rooms.set(room.code, room);
    offset = got.nextOffset ?? null;
  }
  return { ok: true, rooms: [...rooms.values()] };
}

/** GET /api/rooms and /api/rooms/:code/messages. */
export const roomsApi = {
  list: listRooms,
  history: (code: string, before: number, limit: number) =>
    getJson<{ messages: RoomMessage[]; hasMore: boolean }>(
      `/api/rooms/${encodeURIComponent(code)}/messages?before=${before}&limit=${limit}`,
      asMember(),
    ),
};

export type RoomsApi = typeof roomsApi;
