/**
 * One read of a search and the pairing attempts it leads to: read, rank with
 * the rules, then lock both users and let the store's atomic commit decide,
 * best candidate first.
 *
 * Within a node, searches do not race each other: a pairing attempt in
 * progress reserves both its users, other searches of this node pass them
 * over (and come back once the attempt is settled), and a search whose own
 * user is reserved waits for that attempt instead of reading. Searches this
 * node saw paired are passed over too, though a read taken just before may
 * still list them. The Redlock then only arbitrates between nodes.
 */
import type { Candidate, MatchStore, PairResult, PoolCursor } from '../store/match-store';
import type { NodeRegistry } from '../store/node-registry';
import type { SafetyMarks } from '../store/safety-marks';
import { rankCandidates, type MatchPolicy, type RankedCandidate, type Seeker } from './eligibility';
import type { Clock } from '../clock';
import { LOCK_BUSY, type Locker } from '../store/locker';
import type { MatchNotifier } from './ports';
import { RecentPairs } from './recent-pairs';
import type { Walk } from './walk';

export interface PairingDeps {
  /** Pools, pairing and sessions; also the block of a partner and the sweep of a dead node's users. */
  store: MatchStore & Pick<SafetyMarks, 'block'> & Pick<NodeRegistry, 'sweepNode'>;
  locker: Locker;
  clock: Clock;
  notifier: MatchNotifier;
  newRoomId: () => string;
  random?: () => number;
  /** This node's id: among equally good candidates, those connected here go first. */
  nodeId?: string;
  /** Told how long both users of each new pair waited. */
  onPaired?: (waitsMs: [number, number]) => void;
  /** Told whose own state (idle, searching, chatting) changed, for their figures to follow at once. */
  onStateChange?: (userIds: readonly string[]) => void;
}

export interface ReadSizes {
  /** Oldest waiters per pool in a window read. */
  head: number;
  /** Newest waiters per pool in a window read. */
  tail: number;
  /** Waiters on each side of the seeker's own place, per pool, in a window read. */
  near: number;
  /** Waiters in a page read. */
  page: number;
}

/** What one read-and-try gave: paired, over, held by others, or no one to pair in what was read. */
export type ReadOutcome =
  | { kind: 'matched' }
  | { kind: 'over' }
  | ({ kind: 'none' | 'contended' } & ReadPart);

/** What a read that paired no one saw, for the walk to move on from. */
export interface ReadPart {
  candidates: Candidate[];
  /** Where the next page starts (null: past the last pool); undefined when nothing was read. */
  cursor: PoolCursor | null | undefined;
  now: number;
  /** Eligible candidates that were busy (another attempt held them). */
  held: string[];
}

const CANDIDATES_TRIED = 4;
const SEARCH_ROUNDS = 5;
/** Busy candidates a contended read passes on to the walk's next step. */
const HELD_KEPT = 16;

export class Pairing {
  /** Pairing attempts in progress on this node, by both of their users; true once paired. */
  private readonly attempts = new Map<string, Promise<boolean>>();
  private readonly recent: RecentPairs;

  constructor(
    private readonly deps: PairingDeps,
    private readonly policy: MatchPolicy,
    private readonly sizes: ReadSizes,
  ) {
    this.recent = new RecentPairs(() => deps.clock.now());
  }

  /** A new search of this user starts: what this node saw of its earlier one no longer applies. */
  forget(userId: string): void {
    this.recent.forget(userId);
  }

  /**
   * One read and the attempts it leads to: rank what was read, then lock and
   * commit the best candidates in turn, passing over users in another
   * attempt of this node. When every try failed (others took them, or held
   * them), read the same part again: the pools have moved on. 'contended'
   * means the rounds ran out while eligible candidates remained; `held` names
   * the best of them, for the walk to judge again at its next step while it
   * moves on (so a few busy candidates never keep it from the rest of the
   * pools).
   */
  async search(walk: Walk, recheck: readonly string[]): Promise<ReadOutcome> {
    const { store, clock } = this.deps;
    const { seeker } = walk;
    let last: ReadPart | null = null;
    for (let round = 0; round < SEARCH_ROUNDS; round++) {
      const own = this.attempts.get(seeker.userId);
      if (own) {
        if (await own) return { kind: 'matched' };
        continue;
      }
      if (this.recent.has(seeker.userId, seeker.since)) return { kind: 'matched' };
      const now = clock.now();
      const read = await store.candidates(seeker.userId, {
        interests: seeker.interests,
        open: walk.open,
        languages: seeker.languages ?? [],
        anyLanguage: walk.anyLanguage,
        mode: seeker.mode ?? 'text',
        head: walk.fresh ? this.sizes.head : 0,
        tail: walk.fresh ? this.sizes.tail : 0,
        near: walk.fresh ? this.sizes.near : 0,
        page: walk.fresh ? 0 : this.sizes.page,
        cursor: walk.cursor,
        recheck,
        now,
      });
      if (read.seeker.since !== seeker.since || read.seeker.state !== 'waiting') {
        return { kind: read.seeker.state === 'chatting' ? 'matched' : 'over' };
      }
      const ranked = rankCandidates(seeker, read.candidates, now, this.policy, this.deps.random, this.deps.nodeId);
      if (ranked.length === 0) return { kind: 'none', candidates: read.candidates, cursor: read.cursor, now, held: [] };
      last = {
        candidates: read.candidates,
        cursor: read.cursor,
        now,
        held: ranked.slice(0, HELD_KEPT).map((c) => c.userId),
      };
      const reserved: Promise<boolean>[] = [];
      let lockBusy = false;
      let tried = 0;
      for (const candidate of ranked) {
        if (tried === CANDIDATES_TRIED) break;
        const mine = this.attempts.get(seeker.userId);
        if (mine) {
          reserved.push(mine);
          break;
        }
        if (this.recent.has(seeker.userId, seeker.since)) return { kind: 'matched' };
        if (this.recent.has(candidate.userId, candidate.since)) continue;
        const theirs = this.attempts.get(candidate.userId);
        if (theirs) {
          reserved.push(theirs);
          continue;
        }
        tried++;
        const result = await this.attempt(seeker, candidate);
        if (result === LOCK_BUSY) {
          lockBusy = true;
          continue;
        }
        if (result.ok) {
          const { startedAt, commonInterests, roomId, mode, users } = result.chat;
          this.deps.onPaired?.([startedAt - seeker.since, startedAt - candidate.since]);
          users.forEach((userId, i) => {
            this.deps.notifier.matched(userId, { roomId, commonInterests, startedAt, mode }, { initiator: i === 0, socket: result.sockets?.[i] });
          });
          this.deps.onStateChange?.(result.chat.users);
          return { kind: 'matched' };
        }
        // The seeker itself changed: someone paired it, or it left.
        if (result.reason === 'a-unavailable') return { kind: result.aState === 'chatting' ? 'matched' : 'over' };
      }
      if (reserved.length > 0) await Promise.race(reserved);
      else if (lockBusy) await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(Math.random() * 40)));
    }
    return { kind: 'contended', ...(last ?? { candidates: [], cursor: undefined, now: clock.now(), held: [] }) };
  }

  /** Locks both users and commits the pair, holding both reserved meanwhile. */
  private async attempt(seeker: Seeker, candidate: RankedCandidate): Promise<PairResult | typeof LOCK_BUSY> {
    const { store, locker, clock } = this.deps;
    const users = [seeker.userId, candidate.userId];
    let settle!: (paired: boolean) => void;
    const settled = new Promise<boolean>((resolve) => (settle = resolve));
    for (const id of users) this.attempts.set(id, settled);
    let paired = false;
    try {
      const result = await locker.withLock(users, () =>
        store.commitPair({
          a: seeker.userId,
          b: candidate.userId,
          roomId: this.deps.newRoomId(),
          now: clock.now(),
          commonInterests: candidate.common,
          rematchWindowMs: this.policy.rematchWindowMs,
          searches: [seeker.since, candidate.since],
          mode: seeker.mode ?? 'text',
        }),
      );
      paired = result !== LOCK_BUSY && result.ok;
      if (paired) {
        this.recent.add(seeker.userId, seeker.since);
        this.recent.add(candidate.userId, candidate.since);
      }
      return result;
    } finally {
      for (const id of users) this.attempts.delete(id);
      settle(paired);
    }
  }
}
