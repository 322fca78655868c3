/**
 * Bans and suspensions as every node enforces them: a copy of those in force,
 * reloaded from the moderation store every second (so a ban made on any node
 * reaches every node within about a second, and holds through a Redis loss:
 * the store is PostgreSQL), consulted at each handshake and gated event.
 * While the store cannot be read the last copy stays in force. Newly banned
 * identities and addresses are removed from this node by the Enforcer.
 *
 * An identity ban also marks the banned identity's last-known address for
 * BAN_ADDRESS_MARK_MS (or the ban's length if shorter): no new identity is
 * issued there meanwhile, so reconnecting without a token does not simply
 * bring the banned person back. Identities that already exist keep working
 * from that address (a shared address is not banned).
 */
import type { Clock } from '../clock';
import type { BanRecord, ModerationStore } from '../store/moderation-store';
import type { Enforcer } from './ports';

export interface EnforcementOptions {
  intervalMs?: number;
  /** How long an identity ban marks the identity's last address (BAN_ADDRESS_MARK_MS); 0 or absent: no mark. */
  markMs?: number;
  onError?: (err: unknown) => void;
}

export class Enforcement {
  private bans = new Map<string, BanRecord>();
  private suspended = new Set<string>();
  /** Address hashes marked by identity bans, and until when. */
  private marks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly store: ModerationStore,
    private readonly clock: Clock,
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
    this.marks = new Map();
    for (const ban of enforced.bans) this.mark(ban);
    this.suspended = new Set(enforced.suspended);
    await Promise.all(added.map((ban) => this.apply(ban)));
  }

  /** A ban made on this node: in force here at once. */
  async noteBan(ban: BanRecord): Promise<void> {
    this.bans.set(ban.subject, ban);
    this.mark(ban);
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

  /** The ban in force on this identity or address (hash), if any. */
  banOf(userId: string, ipHash: string | undefined): BanRecord | null {
    const now = this.clock.now();
    for (const subject of [userId, ipHash]) {
      const ban = subject === undefined ? undefined : this.bans.get(subject);
      if (ban && (ban.until === null || ban.until > now)) return ban;
    }
    return null;
  }

  /** Until when no new identity is issued at this address (hash) after an identity ban there; null when it is not marked. */
  markedUntil(ipHash: string): number | null {
    const until = this.marks.get(ipHash);
    return until !== undefined && until > this.clock.now() ? until : null;
  }

  private mark(ban: BanRecord): void {
    const markMs = this.options.markMs ?? 0;
    if (markMs <= 0 || ban.kind !== 'identity' || !ban.addressHash) return;
    const end = Math.min(ban.until ?? Infinity, ban.createdAt + markMs);
    if (end > (this.marks.get(ban.addressHash) ?? 0)) this.marks.set(ban.addressHash, end);
  }

  isSuspended(userId: string): boolean {
    return this.suspended.has(userId);
  }
}
