/**
 * Topic rooms in this process (the single-node default). Every method runs
 * synchronously to completion, so each step is atomic. A room keeps its last
 * RECENT_MESSAGES messages. Parts over one shared state (./rooms-state), as
 * in the Redis store: the rooms' records and lists (./room-directory),
 * membership (./room-members), messages (./room-messages), roles, mutes and
 * settings (./room-moderation), pins and reactions (./room-marks).
 */
import { MemoryRoomDirectory } from './room-directory';
import { MemoryRoomMarks } from './room-marks';
import { MemoryRoomMembers } from './room-members';
import { MemoryRoomMessages } from './room-messages';
import { MemoryRoomModeration } from './room-moderation';
import { MemoryRoomsState, type MemoryRoomsOptions } from './rooms-state';
import type { RoomsStore } from '../rooms-store';

export type { MemoryRoomsOptions } from './rooms-state';

export class MemoryRoomsStore implements RoomsStore {
  private readonly directory: MemoryRoomDirectory;
  private readonly membership: MemoryRoomMembers;
  private readonly messages: MemoryRoomMessages;
  private readonly moderation: MemoryRoomModeration;
  private readonly marks: MemoryRoomMarks;

  constructor(options: MemoryRoomsOptions = {}) {
    const state = new MemoryRoomsState(options);
    this.directory = new MemoryRoomDirectory(state);
    this.membership = new MemoryRoomMembers(state);
    this.messages = new MemoryRoomMessages(state);
    this.moderation = new MemoryRoomModeration(state);
    this.marks = new MemoryRoomMarks(state);
  }

  /** Upkeep (see MemoryRoomDirectory.prune). */
  prune(now: number): void {
    this.directory.prune(now);
  }

  createRoom(...a: Parameters<MemoryRoomDirectory['createRoom']>) { return this.directory.createRoom(...a); }
  restoreRoom(...a: Parameters<MemoryRoomDirectory['restoreRoom']>) { return this.directory.restoreRoom(...a); }
  getRoom(...a: Parameters<MemoryRoomDirectory['getRoom']>) { return this.directory.getRoom(...a); }
  listPublic() { return this.directory.listPublic(); }
  listAll() { return this.directory.listAll(); }
  removeRoom(...a: Parameters<MemoryRoomDirectory['removeRoom']>) { return this.directory.removeRoom(...a); }

  join(...a: Parameters<MemoryRoomMembers['join']>) { return this.membership.join(...a); }
  leave(...a: Parameters<MemoryRoomMembers['leave']>) { return this.membership.leave(...a); }
  kick(...a: Parameters<MemoryRoomMembers['kick']>) { return this.membership.kick(...a); }
  member(...a: Parameters<MemoryRoomMembers['member']>) { return this.membership.member(...a); }
  members(...a: Parameters<MemoryRoomMembers['members']>) { return this.membership.members(...a); }
  userRooms(...a: Parameters<MemoryRoomMembers['userRooms']>) { return this.membership.userRooms(...a); }
  attach(...a: Parameters<MemoryRoomMembers['attach']>) { return this.membership.attach(...a); }
  detach(...a: Parameters<MemoryRoomMembers['detach']>) { return this.membership.detach(...a); }
  expireAway(...a: Parameters<MemoryRoomMembers['expireAway']>) { return this.membership.expireAway(...a); }
  sweepNode(...a: Parameters<MemoryRoomMembers['sweepNode']>) { return this.membership.sweepNode(...a); }

  append(...a: Parameters<MemoryRoomMessages['append']>) { return this.messages.append(...a); }
  announce(...a: Parameters<MemoryRoomMessages['announce']>) { return this.messages.announce(...a); }
  messagesAfter(...a: Parameters<MemoryRoomMessages['messagesAfter']>) { return this.messages.messagesAfter(...a); }
  lastSeq(...a: Parameters<MemoryRoomMessages['lastSeq']>) { return this.messages.lastSeq(...a); }
  recentMessages(...a: Parameters<MemoryRoomMessages['recentMessages']>) { return this.messages.recentMessages(...a); }
  history(...a: Parameters<MemoryRoomMessages['history']>) { return this.messages.history(...a); }
  deleteMessage(...a: Parameters<MemoryRoomMessages['deleteMessage']>) { return this.messages.deleteMessage(...a); }
  deleteOwnMessage(...a: Parameters<MemoryRoomMessages['deleteOwnMessage']>) { return this.messages.deleteOwnMessage(...a); }
  editMessage(...a: Parameters<MemoryRoomMessages['editMessage']>) { return this.messages.editMessage(...a); }

  setRole(...a: Parameters<MemoryRoomModeration['setRole']>) { return this.moderation.setRole(...a); }
  mute(...a: Parameters<MemoryRoomModeration['mute']>) { return this.moderation.mute(...a); }
  updateSettings(...a: Parameters<MemoryRoomModeration['updateSettings']>) { return this.moderation.updateSettings(...a); }

  pin(...a: Parameters<MemoryRoomMarks['pin']>) { return this.marks.pin(...a); }
  unpin(...a: Parameters<MemoryRoomMarks['unpin']>) { return this.marks.unpin(...a); }
  pins(...a: Parameters<MemoryRoomMarks['pins']>) { return this.marks.pins(...a); }
  react(...a: Parameters<MemoryRoomMarks['react']>) { return this.marks.react(...a); }
}
