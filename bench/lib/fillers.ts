/**
 * Fillers: waiters that fill a pool ahead of, between and behind the users a
 * scenario measures. Either real clients (each searches with `find-match`)
 * or ghosts (waiters written straight into Redis, test/helpers/pool-seed.ts).
 * Both enter the pool in order, a slice at a time, so a scenario can place
 * its own users at chosen depths.
 */
import type { PoolSeed } from '../../test/helpers/pool-seed';
import { closeAll, connectWithSession, pool, request, type Client } from './clients';

/** A find-match ack slower than this is a harness failure (a busy Redis may slow searches, not stop them). */
export const ACK_TIMEOUT_MS = 60_000;

export interface Fillers {
  /** User ids, in the order the fillers enter the pool. */
  readonly ids: readonly string[];
  /** Fillers [from, to) enter the pool; resolves once all of them are in it. */
  search(from: number, to: number): Promise<void>;
  /** How many have been paired (with anyone). */
  paired(): Promise<number>;
  close(): void;
}

export class ClientFillers implements Fillers {
  private matched = 0;

  private constructor(
    private readonly clients: Client[],
    readonly ids: string[],
  ) {
    for (const c of clients) c.on('matched', () => this.matched++);
  }

  /** Connects `count` clients, round-robin over `urls`. */
  static async connect(urls: string[], count: number, onDone: (done: number) => void): Promise<ClientFillers> {
    const joined = await pool(count, 50, (i) => connectWithSession(urls[i % urls.length]!), onDone);
    return new ClientFillers(joined.map((j) => j.client), joined.map((j) => userIdOf(j.session)));
  }

  async search(from: number, to: number): Promise<void> {
    await pool(to - from, 20, async (i) => {
      const reply = await request(this.clients[from + i]!, 'find-match', {}, ACK_TIMEOUT_MS);
      if (!reply.ok) throw new Error(`a filler's find-match was refused: ${JSON.stringify(reply)}`);
    });
  }

  paired(): Promise<number> {
    return Promise.resolve(this.matched);
  }

  close(): void {
    closeAll(this.clients);
  }
}

/** Ghosts enter the pool scored with the time they are written, and are recorded as connected to `nodeIds` in turn. */
export class GhostFillers implements Fillers {
  constructor(
    private readonly seed: PoolSeed,
    readonly ids: string[],
    private readonly nodeIds: string[],
  ) {}

  async search(from: number, to: number): Promise<void> {
    if (to > from) await this.seed.ghosts(this.ids.slice(from, to), { since: Date.now(), nodeIds: this.nodeIds });
  }

  paired(): Promise<number> {
    return this.seed.notWaiting(this.ids);
  }

  close(): void {}
}

/** The user id is the part of the identity token before the '.'. */
export function userIdOf(session: { userId: string; token: string }): string {
  const id = session.token.slice(0, session.token.indexOf('.'));
  if (id !== session.userId) throw new Error(`session token does not carry the user id ${session.userId}`);
  return id;
}
