/**
 * Bans and suspensions as every node enforces them: a copy of those in force,
 * reloaded from the moderation store every second (so a ban made on any node
 * reaches every node within about a second, and holds through a Redis loss:
 * the store is PostgreSQL), consulted at each handshake and gated event.
 * While the store cannot be read the last copy stays in force. Newly banned
 * identities and addresses are removed from this node by the Enforcer.
 */
import type { Clock } from '../matchmaking/ports';
import type { BanRecord, ModerationStore } from '../store/moderation-store';
import type { IpHasher } from './ip-hash';
import type { Enforcer } from './ports';

export interface EnforcementOptions {
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

export class Enforcement {
  private bans = new Map<string, BanRecord>();
  private suspended = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly store: ModerationStore,
    private readonly clock: Clock,
    private readonly hashIp: IpHasher,
    private readonly enforcer: Enforcer,
    private readonly options: EnforcementOptions = {},
  ) {}

  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs ?? 1000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reloads what is in force; removes newly banned users from this node. */
  refresh(): Promise<void> {
    return (this.loading ??= this.load().finally(() => (this.loading = undefined)));
  }

  private async load(): Promise<void> {
    let enforced;
    try {
      enforced = await this.store.enforced(this.clock.now());
    } catch (err) {
      this.options.onError?.(err);
      return;
    }
    const bans = new Map<string, BanRecord>();
    for (const ban of enforced.bans) {
      const known = bans.get(ban.subject);
      if (!known || (known.until !== null && (ban.until === null || ban.until > known.until))) bans.set(ban.subject, ban);
    }
    const added = [...bans.values()].filter((ban) => !this.bans.has(ban.subject));
    this.bans = bans;
    this.suspended = new Set(enforced.suspended);
    await Promise.all(added.map((ban) => this.apply(ban)));
  }

  /** A ban made on this node: in force here at once. */
  async noteBan(ban: BanRecord): Promise<void> {
    this.bans.set(ban.subject, ban);
    await this.apply(ban);
  }

  noteSuspended(userId: string): void {
    this.suspended.add(userId);
  }

  noteUnsuspended(userId: string): void {
    this.suspended.delete(userId);
  }

  private async apply(ban: BanRecord): Promise<void> {
    try {
      if (ban.kind === 'identity') await this.enforcer.removeUser(ban.subject, ban.until);
      else await this.enforcer.removeAddress(ban.subject, ban.until);
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** The ban in force on this identity or address, if any. */
  banOf(userId: string, ip: string | undefined): BanRecord | null {
    const now = this.clock.now();
    for (const subject of [userId, ip === undefined ? undefined : this.hashIp(ip)]) {
      const ban = subject === undefined ? undefined : this.bans.get(subject);
      if (ban && (ban.until === null || ban.until > now)) return ban;
    }
    return null;
  }

  isSuspended(userId: string): boolean {
    return this.suspended.has(userId);
  }
}
