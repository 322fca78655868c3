/** The storage contract of room membership: joining, leaving, kicks, and connections coming and going. */
import type { RoomRole } from '../protocol';

export interface RoomMemberRecord {
  userId: string;
  name: string;
  host: boolean;
  /** `host` exactly when `host` is true; a co-host keeps its role when it leaves and comes back. */
  role: RoomRole;
  /** When the member's mute ends (epoch ms); 0, or a past time, when not muted. A mute outlives leaving. */
  mutedUntil: number;
  joinedAt: number;
  /** Node of the member's connection. */
  node: string;
  /** Socket id of that connection. */
  sid: string;
  /** While the connection is gone: when the member leaves (epoch ms); 0 while connected. */
  awayUntil: number;
}

export interface RoomJoinRequest {
  code: string;
  userId: string;
  /** The wanted name (already validated); a member who is already in keeps or changes to it. */
  name: string;
  /** When true, an existing member keeps its name and `name` is only used for a new member. */
  keepName: boolean;
  sid: string;
  node: string;
  now: number;
  maxMembers: number;
  /** Rooms one user may be in at once. */
  maxRooms: number;
}

export type RoomJoinRefusal = 'not-found' | 'full' | 'name-taken' | 'kicked' | 'too-many-rooms';

/** What the store did with a join (the client's ack is `RoomJoinResult` in src/protocol/rooms.ts). */
export type MembershipResult =
  | { kind: 'joined' | 'rejoined'; member: RoomMemberRecord; members: RoomMemberRecord[] }
  | { kind: RoomJoinRefusal };

/** A member who left without asking: grace over, or node gone. */
export interface DepartedMember {
  code: string;
  member: RoomMemberRecord;
  members: RoomMemberRecord[];
}

export interface RoomMembersStore {
  /** Enters the room (or picks up the membership the user already has). */
  join(request: RoomJoinRequest): Promise<MembershipResult>;
  /** Removes the member; returns it and who remains, or null when it was not in. */
  leave(code: string, userId: string): Promise<DepartedMember | null>;
  /** Removes the member named `name` and bars its user until `until`. */
  kick(code: string, name: string, until: number, now: number): Promise<DepartedMember | null>;
  member(code: string, userId: string): Promise<RoomMemberRecord | null>;
  members(code: string): Promise<RoomMemberRecord[]>;
  /** Codes of the rooms the user is in. */
  userRooms(userId: string): Promise<string[]>;
  /** The user's connection is `sid` on `node`: every membership is present again. Returns the user's room codes. */
  attach(userId: string, sid: string, node: string): Promise<string[]>;
  /** Connection `sid` closed: its memberships stay listed until `until`. */
  detach(userId: string, sid: string, until: number): Promise<void>;
  /** Removes the members whose grace ended by `now`. */
  expireAway(now: number): Promise<DepartedMember[]>;
  /** Removes every member connected through `node` (a dead node), unless it moved since. */
  sweepNode(node: string): Promise<DepartedMember[]>;
}
