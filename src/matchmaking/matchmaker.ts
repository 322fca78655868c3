/**
 * Matchmaking: searches, pairing and ending chats. Pairing follows one
 * protocol everywhere: enter the pools first, then read a bounded set of
 * candidates, rank them with the rules, lock both users and let the store's
 * atomic commit decide. Entering before reading means that of two seekers
 * arriving at once, at least one sees the other: no lost wakeups.
 *
 * The searches themselves, walking the pools until paired, are in
 * searches.ts; one read and its pairing attempts in pairing.ts.
 */
import { ClientError } from '../errors';
import type { ChatMode, DisconnectReason } from '../protocol';
import type { ConnectResult, DropResult, LeaveResult, SearchLanguages } from '../store/match-store';
import type { Seeker } from './eligibility';
import { Searches, type SearchDeps, type SearchOptions, type SearchOutcome } from './searches';

export type { SearchOutcome } from './searches';

export interface MatchmakerOptions extends SearchOptions {
  /** After a user's chat ends, it is not paired again for this long. */
  matchCooldownMs: number;
  /** How long a block lasts. */
  blockTtlMs: number;
  /** How long a chat waits for a user whose connection dropped. */
  resumeGraceMs: number;
}

export type MatchmakerDeps = SearchDeps;

export class Matchmaker {
  private readonly searches: Searches;

  constructor(
    private readonly deps: MatchmakerDeps,
    private readonly options: MatchmakerOptions,
  ) {
    this.searches = new Searches(deps, options);
  }

  /**
   * Starts a search (or restarts it with new interests, languages and mode).
   * `languages`: primary language subtags (languages.ts); absent or empty:
   * the search names none and meets any language. `mode`: video seekers meet
   * only video seekers, text seekers only text seekers.
   */
  async find(userId: string, interests: readonly string[], languages?: SearchLanguages, mode: ChatMode = 'text'): Promise<SearchOutcome> {
    const now = this.deps.clock.now();
    const entry = await this.deps.store.enqueue(userId, interests, now, languages, mode);
    if (!entry.ok) throw new ClientError('ALREADY_IN_CHAT');
    this.changed(userId);
    const seeker: Seeker = { userId, interests, since: entry.since };
    if (mode === 'video') seeker.mode = mode;
    if (languages?.languages.length) {
      seeker.languages = languages.languages;
      if (languages.anyLanguageAfterMs !== undefined) seeker.anyLanguageAfterMs = languages.anyLanguageAfterMs;
    }
    return this.searches.start(seeker, entry.active, entry.cooldownUntil);
  }

  /** Ends a search. Returns false when the user was not searching. */
  async cancel(userId: string): Promise<boolean> {
    this.searches.stop(userId);
    const r = await this.leave(userId, 'search');
    if (r.previous === 'chatting') throw new ClientError('ALREADY_IN_CHAT');
    if (r.previous === 'waiting') this.changed(userId);
    return r.previous === 'waiting';
  }

  /** Ends the user's chat; the partner is told why. */
  async leaveChat(userId: string, reason: Exclude<DisconnectReason, 'disconnected'>): Promise<void> {
    const r = await this.leave(userId, 'chat');
    if (r.previous !== 'chatting') throw new ClientError('NOT_IN_CHAT');
    this.tellPartner(userId, r, reason);
  }

  /** Ends the current chat, if any, and searches again. */
  async next(userId: string, interests: readonly string[], languages?: SearchLanguages, mode: ChatMode = 'text'): Promise<SearchOutcome> {
    const r = await this.leave(userId, 'chat');
    this.tellPartner(userId, r, 'skipped');
    return this.find(userId, interests, languages, mode);
  }

  /** Blocks the current (else the most recent) partner and ends the chat. */
  async block(userId: string): Promise<void> {
    const now = this.deps.clock.now();
    const target = await this.deps.store.block(userId, now, this.options.blockTtlMs);
    if (!target) throw new ClientError('NOT_IN_CHAT', 'There is no one to block.');
    const r = await this.leave(userId, 'chat');
    this.tellPartner(userId, r, 'left');
  }

  /**
   * A connection of this user arrives and becomes its live one. A chat in
   * progress is resumed by it (the partner hears `partner-back` if it had
   * been told `partner-away`); a search ends.
   */
  async connect(userId: string, sid: string, nodeId: string): Promise<ConnectResult> {
    this.searches.stop(userId);
    const r = await this.deps.store.connect({ userId, sid, nodeId });
    if (r.kind === 'resumed' && r.wasAway) this.deps.notifier.partnerBack(r.partnerId, { roomId: r.roomId });
    return r;
  }

  /**
   * A connection still open on a node that was swept as dead while alive is
   * attached again: as `connect`, except that a search started since the
   * sweep (its user was told to start over) goes on, walk and all.
   */
  async reconnect(userId: string, sid: string, nodeId: string): Promise<ConnectResult> {
    const r = await this.deps.store.connect({ userId, sid, nodeId, keepSearch: true });
    if (r.kind === 'resumed' && r.wasAway) this.deps.notifier.partnerBack(r.partnerId, { roomId: r.roomId });
    return r;
  }

  /**
   * The user's connection `sid` closed; a no-op if a newer one took over.
   * A search ends; a chat waits `resumeGraceMs` for the user to come back.
   */
  async disconnect(userId: string, sid: string): Promise<void> {
    const r = await this.deps.store.disconnect({
      userId,
      sid,
      now: this.deps.clock.now(),
      cooldownMs: this.options.matchCooldownMs,
      graceMs: this.options.resumeGraceMs,
    });
    if (r.kind === 'stale') return;
    this.searches.stop(userId);
    this.tellDropped(r);
  }

  /** Ends the chats of users whose grace ran out; returns how many. */
  async expireAway(limit = 100): Promise<number> {
    const expired = await this.deps.store.expireAway(this.deps.clock.now(), this.options.matchCooldownMs, limit);
    for (const e of expired) {
      if (e.mode === 'video') this.deps.notifier.callEnded?.(e.partnerId, { roomId: e.roomId, by: 'partner' });
      this.deps.notifier.partnerLeft(e.partnerId, { roomId: e.roomId, reason: 'disconnected' });
      this.changed(e.partnerId);
    }
    return expired.length;
  }

  /** The users of a node that stopped heart-beating count as disconnected now. */
  async sweepNode(nodeId: string): Promise<number> {
    const dropped = await this.deps.store.sweepNode(
      nodeId,
      this.deps.clock.now(),
      this.options.matchCooldownMs,
      this.options.resumeGraceMs,
    );
    for (const r of dropped) {
      this.tellDropped(r);
      // Heard only if the node was alive after all (slow to reach the store, not dead).
      if (r.kind === 'search-ended' || r.kind === 'chat-ended') this.deps.notifier.stateLost(r.userId);
    }
    return dropped.length;
  }

  private tellDropped(r: DropResult): void {
    if (!r.partnerId || !r.roomId) return;
    if (r.kind === 'away') this.deps.notifier.partnerAway(r.partnerId, { roomId: r.roomId });
    if (r.kind === 'chat-ended') {
      if (r.mode === 'video') this.deps.notifier.callEnded?.(r.partnerId, { roomId: r.roomId, by: 'partner' });
      this.deps.notifier.partnerLeft(r.partnerId, { roomId: r.roomId, reason: 'disconnected' });
    }
    this.changed(r.partnerId);
  }

  /** Stops every timer of this node. */
  close(): void {
    this.searches.close();
  }

  /** Searches this node is running now. */
  get searching(): number {
    return this.searches.size;
  }

  private leave(userId: string, only: 'chat' | 'search' | 'any'): Promise<LeaveResult> {
    return this.deps.store.leave({ userId, now: this.deps.clock.now(), cooldownMs: this.options.matchCooldownMs, only });
  }

  private tellPartner(userId: string, r: LeaveResult, reason: DisconnectReason): void {
    if (r.previous === 'chatting' && r.partnerId && r.roomId) {
      // The call ends first, then the chat.
      if (r.mode === 'video') {
        this.deps.notifier.callEnded?.(userId, { roomId: r.roomId, by: 'you' });
        this.deps.notifier.callEnded?.(r.partnerId, { roomId: r.roomId, by: 'partner' });
      }
      this.deps.notifier.partnerLeft(r.partnerId, { roomId: r.roomId, reason });
      this.changed(userId, r.partnerId);
    }
  }

  private changed(...userIds: string[]): void {
    this.deps.onStateChange?.(userIds);
  }

}
