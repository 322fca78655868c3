/**
 * The figures users see add up: `online-count` and GET /stats come from one
 * atomic read of the shared store, so on two nodes sharing Redis every answer
 * has waiting + chatting <= online, and a user whose chat waits in the resume
 * grace counts as away — neither chatting nor online.
 */
import { io } from 'socket.io-client';
import type { OnlineCountEvent } from '../../src/protocol';
import type { ClusterStats } from '../../src/realtime/online-count';
import { connect, eventually, next, quietFor, record, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const GRACE = 1500;
const cluster = useCluster({ RESUME_GRACE_MS: String(GRACE), MATCH_COOLDOWN_MS: '0' }, 2);

/** Every `online-count` any client of the test received. */
const received: OnlineCountEvent[] = [];
/** Every /stats answer read from either node. */
const answers: ClusterStats[] = [];

async function client(node: number, token?: string): Promise<Client> {
  const c = await connect(cluster.urls[node]!, token ? { token } : {});
  c.on('online-count', (event) => received.push(event));
  return c;
}

async function stats(node: number): Promise<ClusterStats> {
  const answer = (await (await fetch(`${cluster.urls[node]}/stats`)).json()) as ClusterStats;
  answers.push(answer);
  return answer;
}

/** Reads /stats from both nodes until stopped. */
function pollStats(): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) await Promise.all([stats(0), stats(1)]);
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const figures = ({ online, waiting, waitingVideo, chatting, away }: OnlineCountEvent) => ({ online, waiting, waitingVideo, chatting, away });

/** Both nodes' /stats and the watcher's latest `online-count` show `expected`. */
async function everyoneSees(watcher: OnlineCountEvent[], expected: OnlineCountEvent): Promise<void> {
  await eventually(async () => {
    expect(watcher.at(-1)).toEqual(expected);
    expect(figures(await stats(0))).toEqual(expected);
    expect(figures(await stats(1))).toEqual(expected);
  });
}

function expectAllAddUp(): void {
  expect(received.length).toBeGreaterThan(0);
  expect(answers.length).toBeGreaterThan(0);
  for (const event of [...received, ...answers]) {
    expect({ ...figures(event), addsUp: event.waiting + event.chatting <= event.online && event.waitingVideo <= event.waiting }).toEqual({
      ...figures(event),
      addsUp: true,
    });
  }
}

beforeEach(() => {
  received.length = 0;
  answers.length = 0;
});

test('a chatting user who drops is away during the grace: not chatting, not online', async () => {
  const stop = pollStats();
  const watcherClient = await client(0);
  const watcher = record<OnlineCountEvent>(watcherClient, 'online-count');
  const a = await client(0);
  const b = await client(1);
  const matched = next(a, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  await everyoneSees(watcher, { online: 3, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });

  // A searching user who drops stops searching and is gone.
  const c = await client(1);
  await request(c, 'find-match', { interests: ['nobody-else'] });
  await everyoneSees(watcher, { online: 4, waiting: 1, waitingVideo: 0, chatting: 2, away: 0 });
  c.disconnect();
  await everyoneSees(watcher, { online: 3, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });

  const away = next(b, 'partner-away');
  a.disconnect();
  await away;
  await everyoneSees(watcher, { online: 2, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
  const { nodes } = await stats(1);
  expect(nodes.map((n) => n.nodeId).sort()).toEqual(['node-1', 'node-2']);

  // Back within the grace, on the other node: chatting again.
  const again = await client(1, a.session.token);
  await again.resumed;
  await everyoneSees(watcher, { online: 3, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 });

  // Gone past the grace: the chat ends, the partner stays online, idle.
  const ended = next(b, 'partner-disconnected', GRACE + 3000);
  again.disconnect();
  await everyoneSees(watcher, { online: 2, waiting: 0, waitingVideo: 0, chatting: 1, away: 1 });
  await ended;
  await everyoneSees(watcher, { online: 2, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });

  await stop();
  expectAllAddUp();
});

test('under churn on two nodes, every online-count and every /stats answer adds up', async () => {
  const stop = pollStats();
  const users = await Promise.all(Array.from({ length: 16 }, (_, i) => client(i % 2)));
  for (let round = 0; round < 3; round++) {
    await Promise.all(users.map((u) => request(u, 'find-match', {})));
    // Half of them drop (searching or chatting), then come back.
    const dropped = users.filter((_, i) => (i + round) % 2 === 0);
    for (const u of dropped) u.disconnect();
    const back = await Promise.all(dropped.map((u, i) => client((i + round) % 2, u.session.token)));
    for (const [i, u] of dropped.entries()) users[users.indexOf(u)] = back[i]!;
    await Promise.all(users.map((u) => request(u, 'leave-room', {})));
  }
  for (const u of users) u.disconnect();
  await eventually(async () => expect(figures(await stats(0))).toEqual({ online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 }), 10_000);
  await stop();
  expectAllAddUp();
});

const nobody = { online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 };

test('a search sent just before a disconnect leaves no one searching, chatting or online', async () => {
  // The search reaches the store after the connection's cleanup (it waits on
  // the rate limiter first); the two users could even be paired.
  for (let i = 0; i < 10; i++) {
    const c = await client(i % 2);
    c.emit('find-match', {});
    c.disconnect();
  }
  await quietFor(300);
  await eventually(async () => expect(figures(await stats(0))).toEqual(nobody));
});

test('a client that leaves during the handshake is not counted online', async () => {
  for (let i = 0; i < 10; i++) {
    const socket = io(cluster.urls[i % 2]!, { transports: ['websocket'], reconnection: false, forceNew: true });
    // The handshake is sent on open; the client is gone before the node answers it.
    socket.io.on('open', () => setTimeout(() => socket.io.engine.close(), i % 3));
  }
  await quietFor(300);
  await eventually(async () => expect(figures(await stats(0))).toEqual(nobody));
});
