/**
 * Notices a Redis Cluster failover: a shard's master changed. A client whose
 * node fails asks for a new slot map at once; when one sees the master change,
 * every client of the node refreshes too (a subscriber otherwise learns of it
 * only when its own connection fails), and `onMoved` runs twice —
 * soon after, and once the subscriptions have surely followed the shard — with
 * the time trouble was first seen: what was published to the moved shard from
 * then on may have reached no subscriber.
 */
import type { Cluster } from 'ioredis';

/** When `onMoved` runs after a change is seen: once subscribers refreshed, and once more after their resubscribe. */
const PASSES_MS = [500, 2500] as const;
/** Without an error seen first, how far back a move may have lost messages. */
const UNSEEN_TROUBLE_MS = 30_000;
/** Commands in flight when trouble was first seen were sent up to this long before (the command timeout, with room). */
const IN_FLIGHT_MS = 5000;
/** A node error asks for a new slot map at most this often per client. */
const REFRESH_AFTER_ERROR_MS = 250;

export interface ShardWatch {
  close(): void;
}

function mastersOf(cluster: Cluster): string {
  return cluster
    .nodes('master')
    .map((node) => `${node.options.host}:${node.options.port}`)
    .sort()
    .join(',');
}

export function watchShards(clients: readonly Cluster[], onMoved: (since: number) => void, now: () => number = Date.now): ShardWatch {
  let known = '';
  let troubleSince: number | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const trouble = (cluster: Cluster) => {
    let asked = 0;
    return (): void => {
      troubleSince ??= now();
      // A failing node may have been replaced: look now rather than at the next periodic refresh.
      if (now() - asked < REFRESH_AFTER_ERROR_MS) return;
      asked = now();
      cluster.refreshSlotsCache();
    };
  };
  const refreshed = (cluster: Cluster) => (): void => {
    const masters = mastersOf(cluster);
    if (masters === known && troubleSince !== null && now() - troubleSince > UNSEEN_TROUBLE_MS) {
      // Trouble that moved no master (a dropped subscriber connection, a blip) is over: a later move
      // must not replay everything since then.
      troubleSince = null;
    }
    if (masters === '' || masters === known) return;
    const first = known === '';
    known = masters;
    if (first) return;
    for (const other of clients) if (other !== cluster) other.refreshSlotsCache();
    const since = troubleSince === null ? now() - UNSEEN_TROUBLE_MS : troubleSince - IN_FLIGHT_MS;
    troubleSince = null;
    for (const delay of PASSES_MS) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        onMoved(since);
      }, delay);
      timer.unref();
      timers.add(timer);
    }
  };
  for (const cluster of clients) {
    cluster.on('refresh', refreshed(cluster));
    const onTrouble = trouble(cluster);
    cluster.on('node error', onTrouble);
    cluster.on('-node', onTrouble);
  }
  return {
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
