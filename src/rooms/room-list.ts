/** The public room list as this node serves it: one copy, reused for ROOMS_LIST_CACHE_MS. */
import type { RoomInfo, RoomListPage } from '../protocol';
import type { RoomPolicy } from './ports';
import type { RoomServiceDeps } from './room-deps';
import { roomInfo } from './views';

export class PublicRoomList {
  /** This node's copy of the public list. */
  private listed: { at: number; rooms: Promise<RoomInfo[]> } | undefined;

  constructor(
    private readonly deps: Pick<RoomServiceDeps, 'store' | 'clock'>,
    private readonly policy: Pick<RoomPolicy, 'roomsListCacheMs'>,
  ) {}

  /** Public rooms: most members first, then the most recently active. */
  async list(): Promise<RoomInfo[]> {
    const now = this.deps.clock.now();
    const ttl = this.policy.roomsListCacheMs;
    if (!this.listed || now - this.listed.at >= ttl) {
      const rooms = this.deps.store.listPublic().then((found) => found.map(roomInfo));
      // A failed read is not kept.
      rooms.catch(() => {
        if (this.listed?.rooms === rooms) this.listed = undefined;
      });
      this.listed = ttl > 0 ? { at: now, rooms } : undefined;
      return rooms;
    }
    return this.listed.rooms;
  }

  /** One page of the public list, from this node's copy. */
  async page(offset: number, limit: number): Promise<RoomListPage> {
    const rooms = await this.list();
    const next = offset + limit;
    return { rooms: rooms.slice(offset, next), total: rooms.length, offset, limit, nextOffset: next < rooms.length ? next : null };
  }

  /** A room was made or removed: the next read takes the list from the store. */
  forget(): void {
    this.listed = undefined;
  }
}
