/**
 * What the cluster's one-to-one contracts share: the scripted client, the
 * keys, the chats on their own shards (with this node's hints of where each
 * partner is), and the one timed, outage-mapped way to run a step.
 */
import { unavailable } from './call';
import { RedisChats } from './chats';
import type { Keys } from './keys';
import { defineScripts, type RedisClient, type ScriptedRedis } from './scripts';

export type CommandObserver = (command: string, seconds: number) => void;

export class RedisMatchState {
  readonly redis: ScriptedRedis;
  readonly chats: RedisChats;

  constructor(
    redis: RedisClient,
    readonly keys: Keys,
    private readonly observe?: CommandObserver,
    /** How long an ended chat's log is kept as report evidence (REPORT_WINDOW_MS); 0 deletes it with the chat. */
    evidenceMs = 0,
  ) {
    this.redis = defineScripts(redis);
    this.chats = new RedisChats(this.redis, keys, evidenceMs);
  }

  /** Runs one store operation, timing it for the metrics; an outage becomes StoreUnavailableError (./call). */
  async guard<T>(command: string, op: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await op();
    } catch (err) {
      throw unavailable(err);
    } finally {
      this.observe?.(command, (performance.now() - started) / 1000);
    }
  }
}

/** One contract's share of the state: its methods read the client, keys and chats as their own. */
export abstract class RedisMatchPart {
  protected readonly redis: ScriptedRedis;
  protected readonly keys: Keys;
  protected readonly chats: RedisChats;

  constructor(private readonly state: RedisMatchState) {
    this.redis = state.redis;
    this.keys = state.keys;
    this.chats = state.chats;
  }

  protected guard<T>(command: string, op: () => Promise<T>): Promise<T> {
    return this.state.guard(command, op);
  }
}
