/** Typing indicators, coalesced: at most one delivery per window and place, always the last word, cleared without a refresh. */
import { KeyedTypingRelay } from '../../src/realtime/keyed-typing-relay';

const TIMEOUT_MS = 5000;
const WINDOW_MS = 300;

function relay(coalesceMs = WINDOW_MS, refuse?: (key: string) => boolean) {
  const sent: string[] = [];
  const typing = new KeyedTypingRelay(
    async (key, on) => {
      if (refuse?.(key)) throw new Error('refused');
      sent.push(`${key}:${on}`);
    },
    TIMEOUT_MS,
    coalesceMs,
  );
  return { typing, sent };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('a burst is told once at once, then once with its last word when the window ends', async () => {
  const { typing, sent } = relay();
  for (let i = 0; i < 500; i++) await typing.set('lobby', i % 2 === 0);
  expect(sent).toEqual(['lobby:true']);
  jest.advanceTimersByTime(WINDOW_MS);
  expect(sent).toEqual(['lobby:true', 'lobby:false']);
  jest.advanceTimersByTime(WINDOW_MS * 10);
  expect(sent).toEqual(['lobby:true', 'lobby:false']);
});

test('a steady stream is told at most once per window', async () => {
  const { typing, sent } = relay();
  for (let t = 0; t < 3000; t += 10) {
    await typing.set('lobby', true);
    jest.advanceTimersByTime(10);
  }
  expect(sent.length).toBeLessThanOrEqual(3000 / WINDOW_MS + 1);
  expect(sent.length).toBeGreaterThanOrEqual(3000 / WINDOW_MS - 1);
});

test('a change undone within the window is not told', async () => {
  const { typing, sent } = relay();
  await typing.set('lobby', false);
  await typing.set('lobby', true);
  await typing.set('lobby', false);
  jest.advanceTimersByTime(WINDOW_MS);
  expect(sent).toEqual(['lobby:false']);
});

test('places are coalesced apart', async () => {
  const { typing, sent } = relay();
  await Promise.all([typing.set('a', true), typing.set('b', true), typing.set('a', true)]);
  expect(sent).toEqual(['a:true', 'b:true']);
});

test('an indicator clears itself without a refresh, and at once when the connection closes', async () => {
  const { typing, sent } = relay();
  await typing.set('a', true);
  jest.advanceTimersByTime(TIMEOUT_MS);
  expect(sent).toEqual(['a:true', 'a:false']);
  jest.advanceTimersByTime(WINDOW_MS);
  await typing.set('b', true);
  typing.stopAll();
  expect(sent).toEqual(['a:true', 'a:false', 'b:true', 'b:false']);
  jest.advanceTimersByTime(TIMEOUT_MS * 2);
  expect(sent).toHaveLength(4);
});

test('stop clears an indicator that is on, and is silent for one that is off', async () => {
  const { typing, sent } = relay();
  typing.stop('a');
  await typing.set('a', true);
  typing.stop('a');
  jest.advanceTimersByTime(WINDOW_MS);
  expect(sent).toEqual(['a:true', 'a:false']);
});

test('a refused change rejects, opens no window and leaves nothing behind', async () => {
  let refusing = true;
  const { typing, sent } = relay(WINDOW_MS, () => refusing);
  await expect(typing.set('gone', true)).rejects.toThrow('refused');
  refusing = false;
  await typing.set('gone', true);
  expect(sent).toEqual(['gone:true']);
});

test('with no window every change is told', async () => {
  const { typing, sent } = relay(0);
  for (const on of [true, false, true, false]) await typing.set('a', on);
  expect(sent).toEqual(['a:true', 'a:false', 'a:true', 'a:false']);
});

test('a connection closing while "on" is on its way still ends with "off"', async () => {
  const sent: string[] = [];
  let release = (): void => undefined;
  const typing = new KeyedTypingRelay(
    (key, on) =>
      on
        ? new Promise<void>((resolve) => (release = () => (sent.push(`${key}:true`), resolve())))
        : Promise.resolve(void sent.push(`${key}:false`)),
    TIMEOUT_MS,
    WINDOW_MS,
  );
  const told = typing.set('lobby', true);
  typing.stopAll();
  release();
  await told;
  await Promise.resolve();
  expect(sent).toEqual(['lobby:true', 'lobby:false']);
});

test('a delivery slower than the window: the change held meanwhile still goes out, after it', async () => {
  const sent: string[] = [];
  const pending: (() => void)[] = [];
  const typing = new KeyedTypingRelay(
    (key, on) => new Promise<void>((resolve) => pending.push(() => (sent.push(`${key}:${on}`), resolve()))),
    TIMEOUT_MS,
    WINDOW_MS,
  );
  const told = typing.set('lobby', true);
  await typing.set('lobby', false);
  // The window ends while "on" is still on its way.
  jest.advanceTimersByTime(WINDOW_MS);
  pending.shift()!();
  await told;
  await Promise.resolve();
  pending.shift()!();
  await Promise.resolve();
  expect(sent).toEqual(['lobby:true', 'lobby:false']);
  // Nothing left on: no clearing later.
  jest.advanceTimersByTime(TIMEOUT_MS * 2);
  expect(pending).toEqual([]);
});

test('an "on" whose delivery outlasts the window still clears itself without a refresh', async () => {
  const sent: string[] = [];
  let release = (): void => undefined;
  const typing = new KeyedTypingRelay(
    (key, on) =>
      on ? new Promise<void>((resolve) => (release = () => (sent.push(`${key}:true`), resolve()))) : Promise.resolve(void sent.push(`${key}:false`)),
    TIMEOUT_MS,
    WINDOW_MS,
  );
  const told = typing.set('lobby', true);
  jest.advanceTimersByTime(WINDOW_MS);
  release();
  await told;
  jest.advanceTimersByTime(TIMEOUT_MS);
  await Promise.resolve();
  expect(sent).toEqual(['lobby:true', 'lobby:false']);
});
