/** Backstages in this process (the single node without PostgreSQL). */
import type { RoomBackstagesStore } from '../room-backstages';

export class MemoryRoomBackstages implements RoomBackstagesStore {
  private readonly backstages = new Map<string, string>();
  private readonly parents = new Map<string, string>();
  /** Parent code → invited user ids. */
  private readonly invites = new Map<string, Set<string>>();

  async open(parent: string, code: string): Promise<string> {
    const held = this.backstages.get(parent);
    if (held !== undefined) return held;
    this.backstages.set(parent, code);
    this.parents.set(code, parent);
    return code;
  }

  async backstageOf(parent: string): Promise<string | null> {
    return this.backstages.get(parent) ?? null;
  }

  async parentOf(code: string): Promise<string | null> {
    return this.parents.get(code) ?? null;
  }

  async invite(parent: string, userId: string): Promise<void> {
    const users = this.invites.get(parent) ?? new Set<string>();
    users.add(userId);
    this.invites.set(parent, users);
  }

  async uninvite(parent: string, userId: string): Promise<void> {
    this.invites.get(parent)?.delete(userId);
  }

  async invited(parent: string, userId: string): Promise<boolean> {
    return this.invites.get(parent)?.has(userId) ?? false;
  }

  async invitees(parent: string): Promise<string[]> {
    return [...(this.invites.get(parent) ?? [])];
  }
}
