/**
 * Every Redis key parley uses, from one place. Keys that matchmaking scripts
 * touch together share one hash tag ({mm}), so the same scripts run on Redis
 * Cluster; what belongs to one chat (relay record, log, budgets) has a tag of
 * its own ({c:<room>}), so message traffic spreads over the shards.
 */
import calculateSlot from 'cluster-key-slot';

export interface Keys {
  /** Prefix the Lua scripts build per-user keys from (`<base>u:<id>`). */
  readonly base: string;
  user(userId: string): string;
  /** Sorted set of every waiting user, scored by search start. */
  readonly waiting: string;
  /** Hash of waiting users per primary language ('*': without languages); kept by the pool scripts. */
  readonly languageCounts: string;
  /** Set of the waiting users searching for a video chat; kept by the pool scripts. */
  readonly waitingVideo: string;
  /** Set of every user in a chat (connected or away). */
  readonly chatting: string;
  /** Sorted set of chatting users in the resume grace, scored by its deadline. */
  readonly away: string;
  /** Set of users with a live connection or a search. */
  readonly online: string;
  /** Pool of waiters who accept anyone. */
  readonly openPool: string;
  interestPool(interest: string): string;
  history(userId: string): string;
  blocks(userId: string): string;
  room(roomId: string): string;
  /** Sorted set of node ids scored by last heartbeat. */
  readonly nodes: string;
  /** Hash of node id → connection count. */
  readonly nodeConnections: string;
  /** Hash of IP → connections on one node. */
  ipConnections(nodeId: string): string;
  /**
   * Random id written once per Redis data set: a change means the data was
   * lost. Under the matchmaking tag, so on Redis Cluster it lives and dies
   * with the shard holding the state it guards.
   */
  readonly epoch: string;
  /** Prefix of rate-limiter keys. */
  rateLimit(name: string): string;
  /** A one-to-one chat's relay record (hash: a, b, startedAt, state), under the chat's own tag. */
  chat(roomId: string): string;
  /** A one-to-one chat's log, under the chat's own tag. */
  chatLog(roomId: string): string;
  /** A user's message budget in one chat, under the chat's own tag. */
  chatBudget(roomId: string, userId: string): string;
  /** A chat's sends by client id, this generation's (chat-relay-5.lua). */
  chatSent(roomId: string): string;
  /** A chat's sends by client id, the previous generation's. */
  chatSentBefore(roomId: string): string;
  /** A chat's call notes (list of JSON: times, who turned what off; never signalling), under the chat's own tag, kept like its log. */
  chatCalls(roomId: string): string;
  /** The rules version a user accepted. */
  rulesAccepted(userId: string): string;
  /** A claimOnce marker (a used proof-of-work solution). */
  once(id: string): string;
  /** Channel prefix of the Socket.IO Redis adapter. */
  readonly adapterChannel: string;
  /** A user's lock resource; under the matchmaking tag, so a Redlock over both users of a pair is one slot. */
  lock(userId: string): string;
}

export function createKeys(prefix: string): Keys {
  const base = `${prefix}:{mm}:`;
  return Object.freeze({
    base,
    user: (id: string) => `${base}u:${id}`,
    waiting: `${base}waiting`,
    chatting: `${base}chatting`,
    away: `${base}away`,
    online: `${base}online`,
    openPool: `${base}pool:open`,
    interestPool: (interest: string) => `${base}pool:i:${interest}`,
    languageCounts: `${base}waiting:lang`,
    waitingVideo: `${base}waiting:video`,
    history: (id: string) => `${base}h:${id}`,
    blocks: (id: string) => `${base}b:${id}`,
    room: (roomId: string) => `${base}r:${roomId}`,
    nodes: `${base}nodes`,
    nodeConnections: `${base}nodes:connections`,
    ipConnections: (nodeId: string) => `${base}ip:${nodeId}`,
    epoch: `${base}epoch`,
    rateLimit: (name: string) => `${prefix}:rl:${name}`,
    chat: (roomId: string) => `${prefix}:{c:${roomId}}:chat`,
    chatLog: (roomId: string) => `${prefix}:{c:${roomId}}:log`,
    chatBudget: (roomId: string, id: string) => `${prefix}:{c:${roomId}}:mb:${id}`,
    chatSent: (roomId: string) => `${prefix}:{c:${roomId}}:sent`,
    chatSentBefore: (roomId: string) => `${prefix}:{c:${roomId}}:sent:before`,
    chatCalls: (roomId: string) => `${prefix}:{c:${roomId}}:calls`,
    rulesAccepted: (id: string) => `${prefix}:rules:${id}`,
    once: (id: string) => `${prefix}:once:${id}`,
    adapterChannel: `${prefix}:socket.io`,
    lock: (id: string) => `${base}lock:${id}`,
  });
}

/**
 * Keys of topic rooms. Rooms spread over ROOM_SHARDS shards, each with a hash
 * tag of its own: every key of a room carries its shard's tag (so a room's
 * scripts run on Redis Cluster), and each shard keeps one log of its rooms'
 * changes for the archiver (so the append writes it in the same step, and an
 * archiver reads many rooms' changes with one command). A user's set of rooms
 * has its own tag; the remaining keys are touched alone.
 */
export interface RoomKeys {
  /** Hash of the room's lasting facts. */
  room(code: string): string;
  /** Hash of user id → member JSON. */
  members(code: string): string;
  /** Hash of lower-cased name → user id. */
  names(code: string): string;
  /** Hash of user id → barred until (epoch ms). */
  kicked(code: string): string;
  /** The room's last seq. */
  seq(code: string): string;
  /** A member's room-message budget in this room (counter, expiring with its window). */
  budget(code: string, userId: string): string;
  /** A member's send by client id (a retry finds it). */
  sent(code: string, userId: string, clientId: string): string;
  /** Sorted set of the recent window, scored by seq (each entry carries the message's reactions). */
  messages(code: string): string;
  /** Hash of pinned seq → pin JSON. */
  pins(code: string): string;
  /** The code of the room's backstage (see room-backstages.ts), under the room's tag. */
  backstage(code: string): string;
  /** The code of the room a backstage stands beside, under the backstage's tag. */
  backstageParent(code: string): string;
  /** Set of the user ids the host invited into the room's backstage. */
  backstageInvites(code: string): string;
  /** Set of the codes of a user's rooms. */
  userRooms(userId: string): string;
  /** Hash of room code → the user's read seq, under the user's tag like its rooms. */
  reads(userId: string): string;
  /** Set of the public rooms' codes. */
  readonly publicRooms: string;
  /** Set of every room's code, public and private (the operators' list). */
  readonly allRooms: string;
  /** Sorted set of `<code>\n<userId>` away members, scored by the end of their grace. */
  readonly away: string;
  /** Set of `<code>\n<userId>` members connected through a node. */
  node(nodeId: string): string;
  /** Stream of the changes waiting for the PostgreSQL archiver of the room's shard (every room of the shard logs there). */
  log(code: string): string;
  /** Every shard's log, in shard order. */
  readonly logs: readonly string[];
  /** Hash of the archivers' leases: which node archives which shard's log, and which archivers are alive. */
  readonly archivers: string;
  /** Pub/sub channel of the room's messages and deletions, in seq order. */
  feed(code: string): string;
}

/** Shards the rooms spread over: as many Redis Cluster masters as this can share the rooms. */
export const ROOM_SHARDS = 64;

/** The slots of a Redis Cluster. */
const SLOTS = 16_384;

/** FNV-1a of the code, for picking a room's shard. */
export function roomShardOf(code: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 0x01000193);
  return (h >>> 0) % ROOM_SHARDS;
}

/**
 * The hash tag of each shard, chosen so that shard n hashes into the n-th
 * equal part of the slots: masters that split the slots evenly (as a cluster
 * is made) hold as many shards each.
 */
function shardTags(): string[] {
  return Array.from({ length: ROOM_SHARDS }, (_, n) => {
    for (let i = 0; ; i++) {
      const tag = `r${n}.${i}`;
      if (Math.floor((calculateSlot(tag) * ROOM_SHARDS) / SLOTS) === n) return tag;
    }
  });
}

export function createRoomKeys(prefix: string): RoomKeys {
  const tags = shardTags();
  const room = (code: string) => `${prefix}:{${tags[roomShardOf(code)]}}:${code}:`;
  const logs = Object.freeze(tags.map((tag) => `${prefix}:{${tag}}:log`));
  return Object.freeze({
    room: (code: string) => `${room(code)}room`,
    members: (code: string) => `${room(code)}members`,
    names: (code: string) => `${room(code)}names`,
    kicked: (code: string) => `${room(code)}kicked`,
    seq: (code: string) => `${room(code)}seq`,
    budget: (code: string, userId: string) => `${room(code)}budget:${userId}`,
    sent: (code: string, userId: string, clientId: string) => `${room(code)}sent:${userId}:${clientId}`,
    messages: (code: string) => `${room(code)}messages`,
    pins: (code: string) => `${room(code)}pins`,
    backstage: (code: string) => `${room(code)}backstage`,
    backstageParent: (code: string) => `${room(code)}parent`,
    backstageInvites: (code: string) => `${room(code)}backstage:invites`,
    userRooms: (userId: string) => `${prefix}:{ru:${userId}}:rooms`,
    reads: (userId: string) => `${prefix}:{ru:${userId}}:reads`,
    publicRooms: `${prefix}:rooms:public`,
    allRooms: `${prefix}:rooms:all`,
    away: `${prefix}:rooms:away`,
    node: (nodeId: string) => `${prefix}:rooms:node:${nodeId}`,
    log: (code: string) => logs[roomShardOf(code)]!,
    logs,
    archivers: `${prefix}:rooms:archivers`,
    feed: (code: string) => `${room(code)}feed`,
  });
}

/**
 * Keys of contacts' short-lived state (presence, keep-in-touch offers). They
 * share one hash tag (`{ct}`): the presence scripts touch several users' keys.
 */
export interface ContactKeys {
  /** Prefix the presence scripts build per-user keys from. */
  readonly base: string;
  /** The user's live connection, "<node>\n<sid>"; present while it exists. */
  presence(userId: string): string;
  /** Sorted set of users in their resume grace, scored by its end. */
  readonly away: string;
  /** Set of users whose live connection is on the node. */
  node(nodeId: string): string;
  /** Hash of user id → partner id: who asked to keep in touch after a chat. */
  offer(roomId: string): string;
}

export function createContactKeys(prefix: string): ContactKeys {
  const base = `${prefix}:{ct}:`;
  return Object.freeze({
    base,
    presence: (id: string) => `${base}p:${id}`,
    away: `${base}away`,
    node: (nodeId: string) => `${base}n:${nodeId}`,
    offer: (roomId: string) => `${base}o:${roomId}`,
  });
}
