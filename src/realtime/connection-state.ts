/**
 * What one connection keeps between its events: the handlers' context and
 * the dispatcher's guard in a single object. Its typing relays, budgets and
 * refusal counter are made on first use: most connections sit idle, never
 * type in a room or to a contact, and are never refused, and each of those
 * helpers with its closures cost an idle connection about 0.5 KB of heap.
 */
import type { Services, HandlerContext } from './context';
import { RefusalCounter, type Guard } from './dispatch';
import { EventBudgets } from './event-budgets';
import { KeyedTypingRelay } from './keyed-typing-relay';
import { TypingRelay } from './typing-relay';
import type { ParleySocket } from './types';

export class ConnectionState implements HandlerContext, Guard {
  /** Set while a picked-up chat is resumed: the client's events wait for it, in the order they came. */
  ready: Promise<unknown> | undefined = undefined;
  private chatTyping: TypingRelay | undefined = undefined;
  private roomRelay: KeyedTypingRelay | undefined = undefined;
  private dmRelay: KeyedTypingRelay | undefined = undefined;
  private budgetsMade: EventBudgets | undefined = undefined;
  private refusalsMade: RefusalCounter | undefined = undefined;

  constructor(
    readonly userId: string,
    readonly socket: ParleySocket,
    readonly services: Services,
  ) {}

  get typing(): TypingRelay {
    const { io, config } = this.services;
    return (this.chatTyping ??= new TypingRelay(io, config.nodeId, config.typingTimeoutMs, config.typingCoalesceMs));
  }

  /** Typing indicators in topic rooms, by code. */
  get roomTyping(): KeyedTypingRelay {
    return (this.roomRelay ??= this.keyedRelay((code, on) => this.services.rooms.typing(this.userId, code, on)));
  }

  /** Typing indicators to contacts, by contact id. */
  get dmTyping(): KeyedTypingRelay {
    return (this.dmRelay ??= this.keyedRelay((contactId, on) => this.services.dms.typing(this.userId, contactId, on)));
  }

  get budgets(): EventBudgets {
    return (this.budgetsMade ??= new EventBudgets(this.userId, this.services.config, this.services.limits));
  }

  get refusals(): RefusalCounter {
    return (this.refusalsMade ??= new RefusalCounter());
  }

  /** The connection closed: every typing indicator it shows is cleared. */
  closed(): void {
    this.chatTyping?.stop();
    this.roomRelay?.stopAll();
    this.dmRelay?.stopAll();
  }

  private keyedRelay(send: (key: string, on: boolean) => Promise<void>): KeyedTypingRelay {
    const { typingTimeoutMs, typingCoalesceMs } = this.services.config;
    return new KeyedTypingRelay(send, typingTimeoutMs, typingCoalesceMs);
  }
}
