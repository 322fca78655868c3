/**
 * Topic rooms in Redis (cluster mode). Every check-then-act on a room is one
 * Lua script over that room's keys (./lua/rooms, one hash tag per room). A user's
 * room places, the away schedule and the per-node sets are kept beside the
 * rooms: each is changed by one atomic command or script, and a refused join
 * gives its place back. Four parts over one shared state: the rooms' records
 * and lists (./room-directory), membership (./room-members), messages
 * (./room-messages), roles, mutes and settings (./room-moderation), pins and
 * reactions (./room-marks).
 */
import type { RoomKeys } from './keys';
import { RedisRoomDirectory } from './room-directory';
import { RedisRoomMembers } from './room-members';
import { RedisRoomMarks } from './room-marks';
import { RedisRoomMessages } from './room-messages';
import { RedisRoomModeration } from './room-moderation';
import { RedisRoomsState, type RedisRoomsOptions } from './rooms-state';
import type { RedisClient } from './scripts';
import type { RoomsStore } from '../rooms-store';

export type { RedisRoomsOptions } from './rooms-state';

export class RedisRoomsStore implements RoomsStore {
  private readonly directory: RedisRoomDirectory;
  private readonly membership: RedisRoomMembers;
  private readonly messages: RedisRoomMessages;
  private readonly moderation: RedisRoomModeration;
  private readonly marks: RedisRoomMarks;

  constructor(redis: RedisClient, keys: RoomKeys, options: RedisRoomsOptions = {}) {
    const state = new RedisRoomsState(redis, keys, options);
    this.directory = new RedisRoomDirectory(state);
    this.membership = new RedisRoomMembers(state);
    this.messages = new RedisRoomMessages(state);
    this.moderation = new RedisRoomModeration(state);
    this.marks = new RedisRoomMarks(state);
  }

  createRoom(...a: Parameters<RedisRoomDirectory['createRoom']>) { return this.directory.createRoom(...a); }
  restoreRoom(...a: Parameters<RedisRoomDirectory['restoreRoom']>) { return this.directory.restoreRoom(...a); }
  getRoom(...a: Parameters<RedisRoomDirectory['getRoom']>) { return this.directory.getRoom(...a); }
  listPublic() { return this.directory.listPublic(); }
  listAll() { return this.directory.listAll(); }
  removeRoom(...a: Parameters<RedisRoomDirectory['removeRoom']>) { return this.directory.removeRoom(...a); }

  join(...a: Parameters<RedisRoomMembers['join']>) { return this.membership.join(...a); }
  leave(...a: Parameters<RedisRoomMembers['leave']>) { return this.membership.leave(...a); }
  kick(...a: Parameters<RedisRoomMembers['kick']>) { return this.membership.kick(...a); }
  member(...a: Parameters<RedisRoomMembers['member']>) { return this.membership.member(...a); }
  members(...a: Parameters<RedisRoomMembers['members']>) { return this.membership.members(...a); }
  userRooms(...a: Parameters<RedisRoomMembers['userRooms']>) { return this.membership.userRooms(...a); }
  attach(...a: Parameters<RedisRoomMembers['attach']>) { return this.membership.attach(...a); }
  detach(...a: Parameters<RedisRoomMembers['detach']>) { return this.membership.detach(...a); }
  expireAway(...a: Parameters<RedisRoomMembers['expireAway']>) { return this.membership.expireAway(...a); }
  sweepNode(...a: Parameters<RedisRoomMembers['sweepNode']>) { return this.membership.sweepNode(...a); }

  append(...a: Parameters<RedisRoomMessages['append']>) { return this.messages.append(...a); }
  messagesAfter(...a: Parameters<RedisRoomMessages['messagesAfter']>) { return this.messages.messagesAfter(...a); }
  lastSeq(...a: Parameters<RedisRoomMessages['lastSeq']>) { return this.messages.lastSeq(...a); }
  recentMessages(...a: Parameters<RedisRoomMessages['recentMessages']>) { return this.messages.recentMessages(...a); }
  history(...a: Parameters<RedisRoomMessages['history']>) { return this.messages.history(...a); }
  deleteMessage(...a: Parameters<RedisRoomMessages['deleteMessage']>) { return this.messages.deleteMessage(...a); }
  deleteOwnMessage(...a: Parameters<RedisRoomMessages['deleteOwnMessage']>) { return this.messages.deleteOwnMessage(...a); }
  editMessage(...a: Parameters<RedisRoomMessages['editMessage']>) { return this.messages.editMessage(...a); }
  announce(...a: Parameters<RedisRoomMessages['announce']>) { return this.messages.announce(...a); }

  setRole(...a: Parameters<RedisRoomModeration['setRole']>) { return this.moderation.setRole(...a); }
  mute(...a: Parameters<RedisRoomModeration['mute']>) { return this.moderation.mute(...a); }
  updateSettings(...a: Parameters<RedisRoomModeration['updateSettings']>) { return this.moderation.updateSettings(...a); }
  pin(...a: Parameters<RedisRoomMarks['pin']>) { return this.marks.pin(...a); }
  unpin(...a: Parameters<RedisRoomMarks['unpin']>) { return this.marks.unpin(...a); }
  pins(...a: Parameters<RedisRoomMarks['pins']>) { return this.marks.pins(...a); }
  react(...a: Parameters<RedisRoomMarks['react']>) { return this.marks.react(...a); }
}
