/**
 * What every client event may cost. Each event names a budget in
 * EVENT_BUDGETS (the table is typed over every event of the schemas, so an
 * event cannot be added without one); the dispatcher spends a point before
 * the handler runs, whatever the handler answers. A point is spent twice:
 * first on the socket, in this node's memory (a flood is refused there,
 * without a round trip to Redis), then on the identity in the shared limiter
 * (cluster-wide with Redis), so reconnecting or moving to another node
 * starts no fresh budget. Over either → RATE_LIMITED.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { rateLimited, StoreUnavailableError } from '../errors';
import { Budgets } from '../store/memory/message-budgets';
import type { MessageBudget } from '../store/chat-store';
import type { Limits } from './context';
import { spend } from './handlers/support';
import type { EventName } from './schemas';

/** The budgets, each sized by a pair of settings (see docs/protocol.md, "Budgets"). */
export type BudgetName = 'match' | 'message' | 'typing' | 'call-signal' | 'room-join' | 'room-message' | 'room-create' | 'dm' | 'event' | 'heavy';

/** The budget each client event spends. */
export const EVENT_BUDGETS = {
  'find-match': 'match',
  'cancel-match': 'event',
  'next-match': 'match',
  'send-message': 'message',
  typing: 'typing',
  'leave-room': 'event',
  block: 'event',
  'call-signal': 'call-signal',
  // Camera and microphone toggles, like typing: bursts of small changes.
  'call-state': 'typing',
  'call-credentials': 'event',
  'room-create': 'room-create',
  'room-join': 'room-join',
  'room-leave': 'event',
  'room-typing': 'typing',
  'room-message': 'room-message',
  'room-delete-message': 'event',
  'room-kick': 'event',
  'room-role': 'event',
  'room-mute': 'event',
  'room-settings': 'event',
  'room-pin': 'event',
  'room-unpin': 'event',
  'room-react': 'event',
  // An edit is a message the room receives again.
  'room-edit': 'room-message',
  'room-read': 'event',
  'room-backstage': 'event',
  'keep-in-touch': 'event',
  'contacts-list': 'event',
  'contact-rename': 'event',
  'contact-remove': 'event',
  'contact-block': 'event',
  'dm-send': 'dm',
  'dm-history': 'event',
  'dm-read': 'event',
  'dm-typing': 'typing',
  settings: 'heavy',
  'delete-identity': 'heavy',
  report: 'heavy',
  'accept-rules': 'event',
  sync: 'event',
} as const satisfies { readonly [E in EventName]: BudgetName };

interface BudgetRule {
  size(config: Config): MessageBudget;
  /**
   * The identity's limiter for the event, shared by the nodes. Null for
   * `send-message` and `room-message`: the store spends the identity's point
   * (per chat, per room) in the same Redis call that stores the message.
   */
  shared(limits: Limits, event: EventName): RateLimiterAbstract | null;
  /** Each event naming the budget counts on its own; otherwise they share one count. */
  perEvent?: true;
}

const size = (points: number, windowMs: number): MessageBudget => ({ points, windowMs });

export const BUDGETS: { readonly [B in BudgetName]: BudgetRule } = {
  match: { size: (c) => size(c.matchRateLimit, c.matchRateWindowMs), shared: (l) => l.match },
  message: { size: (c) => size(c.messageRateLimit, c.messageRateWindowMs), shared: () => null },
  typing: { size: (c) => size(c.typingRateLimit, c.typingRateWindowMs), shared: (l) => l.typing },
  'call-signal': { size: (c) => size(c.callSignalRateLimit, c.callSignalRateWindowMs), shared: (l) => l.callSignal },
  'room-join': { size: (c) => size(c.roomJoinRateLimit, c.roomJoinRateWindowMs), shared: (l) => l.roomJoin },
  'room-message': {
    size: (c) => size(c.roomMessageRateLimit, c.roomMessageRateWindowMs),
    shared: (l, event) => (event === 'room-message' ? null : l.roomMessage),
  },
  'room-create': { size: (c) => size(c.roomCreateRateLimit, c.roomCreateRateWindowMs), shared: (l) => l.roomCreate },
  dm: { size: (c) => size(c.dmRateLimit, c.dmRateWindowMs), shared: (l) => l.dm },
  event: { size: (c) => size(c.eventRateLimit, c.eventRateWindowMs), shared: (l) => l.event, perEvent: true },
  heavy: { size: (c) => size(c.heavyEventRateLimit, c.heavyEventRateWindowMs), shared: (l) => l.heavy, perEvent: true },
};

/** One connection's budgets. */
export class EventBudgets {
  /** Made on first use: an idle connection holds no counters. */
  private local: Budgets | null = null;

  constructor(
    private readonly userId: string,
    private readonly config: Config,
    private readonly limits: Limits,
  ) {}

  /** Spends a point of the event's budget, or throws RATE_LIMITED (UNAVAILABLE when the shared limiter is away). */
  async spend(event: EventName, now: number): Promise<void> {
    const name = EVENT_BUDGETS[event];
    const rule = BUDGETS[name];
    const key = rule.perEvent ? event : name;
    this.local ??= new Budgets();
    const waitMs = this.local.spend(key, rule.size(this.config), now);
    if (waitMs > 0) throw rateLimited(waitMs);
    const shared = rule.shared(this.limits, event);
    if (!shared) return;
    try {
      await spend(shared, rule.perEvent ? `${this.userId}:${event}` : this.userId);
    } catch (err) {
      // A request the cluster could not count costs the socket nothing either.
      if (err instanceof StoreUnavailableError) this.local.refund(key);
      throw err;
    }
  }
}
