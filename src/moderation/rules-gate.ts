/**
 * The rules and age gate: an identity accepts the current rules version (of
 * the text in its language, confirming MIN_AGE) before its first search or room join. The acceptance
 * is kept in the match store, so it holds on every node and after reconnects.
 */
import { ClientError } from '../errors';
import { checkVersion, type Rules } from './rules';

/** Where acceptances are kept (the match store). */
export interface RulesAcceptanceStore {
  /** Records that `userId` accepted rules `version`. */
  acceptRules(userId: string, version: string, now: number): Promise<void>;
  /** The rules version `userId` last accepted, or null. */
  acceptedRules(userId: string): Promise<string | null>;
}

export interface RulesGateOptions {
  /** RULES_GATE: when false, `require` lets everyone through. */
  enabled: boolean;
  minAge: number;
}

export class RulesGate {
  constructor(
    private readonly rules: Rules,
    private readonly store: RulesAcceptanceStore,
    private readonly options: RulesGateOptions,
  ) {}

  /** The English text's version. */
  get version(): string {
    return this.rules.version;
  }

  /**
   * Records an acceptance of the current text in any language (its version
   * names the text that was read). A version other than a current one (the
   * rules changed since the client loaded them) answers RULES_NOT_ACCEPTED, so
   * the client fetches the rules again and shows them.
   */
  async accept(userId: string, version: string, now: number): Promise<void> {
    if (checkVersion(this.rules, version) !== 'current') {
      throw new ClientError('RULES_NOT_ACCEPTED', 'The rules have changed; read and accept the current version.');
    }
    await this.store.acceptRules(userId, version, now);
  }

  /** True when the identity may search and join rooms. */
  async accepted(userId: string): Promise<boolean> {
    if (!this.options.enabled) return true;
    const accepted = await this.store.acceptedRules(userId);
    return accepted !== null && checkVersion(this.rules, accepted) === 'current';
  }

  /** Throws RULES_NOT_ACCEPTED unless the identity accepted the current rules. */
  async require(userId: string): Promise<void> {
    if (!(await this.accepted(userId))) {
      throw new ClientError(
        'RULES_NOT_ACCEPTED',
        `Accept the rules and confirm you are at least ${this.options.minAge} first.`,
      );
    }
  }
}
