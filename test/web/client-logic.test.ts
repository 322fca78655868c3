/** The web client's DOM-free pieces: typing throttle, state store, message log, wording. */
import { describe as describeProblem } from '../../web/src/errors';
import { formatList, formatPresence } from '../../web/src/format';
import { createMessageLog, type LogChange } from '../../web/src/messages';
import { createStore } from '../../web/src/state';
import { createTypingSignal, typingOptionsFor } from '../../web/src/typing';

describe('typing signal', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('sends true once per refresh interval while typing, and false after a pause', () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((on) => sent.push(on), { refreshMs: 2000, idleMs: 3000 }, () => Date.now());
    signal.input(true);
    jest.advanceTimersByTime(500);
    signal.input(true);
    signal.input(true);
    expect(sent).toEqual([true]);
    jest.advanceTimersByTime(1600);
    signal.input(true); // 2.1 s after the first: a refresh keeps the server's flag alive
    expect(sent).toEqual([true, true]);
    jest.advanceTimersByTime(3000);
    expect(sent).toEqual([true, true, false]);
  });

  test('stops at once when the box is emptied or the message is sent, and only once', () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((on) => sent.push(on), typingOptionsFor(5000));
    signal.input(true);
    signal.input(false);
    signal.stop();
    expect(sent).toEqual([true, false]);
  });

  test('refreshes before the server timeout runs out', () => {
    const { refreshMs, idleMs } = typingOptionsFor(5000);
    expect(refreshMs).toBeLessThan(5000);
    expect(idleMs).toBeLessThanOrEqual(5000);
  });
});

describe('state store', () => {
  test('notifies only on real changes, with the previous state', () => {
    const store = createStore();
    const seen: string[] = [];
    store.subscribe((state, previous) => seen.push(`${previous.phase}->${state.phase}`));
    store.set({ phase: 'idle' });
    store.set({ phase: 'searching' });
    expect(seen).toEqual(['idle->idle', 'idle->searching']);
  });
});

describe('message log', () => {
  test('keeps a stable key from the optimistic insert to the ack', () => {
    const log = createMessageLog();
    const changes: LogChange['type'][] = [];
    log.subscribe((c) => changes.push(c.type));
    const m = log.add({ id: null, from: 'me', text: 'hi', at: 1, delivery: 'sending' });
    log.update(m.key, { id: 'srv1', delivery: 'sent' });
    expect(log.find(m.key)).toMatchObject({ id: 'srv1', delivery: 'sent', text: 'hi' });
    log.clear();
    expect(log.find(m.key)).toBeUndefined();
    expect(changes).toEqual(['add', 'update', 'clear']);
  });
});

describe('wording', () => {
  test('errors are sentences a person understands, with the limit spelled out', () => {
    expect(describeProblem('RATE_LIMITED')).toMatch(/little fast/);
    expect(describeProblem('MESSAGE_TOO_LONG', 1000)).toMatch(/under 1,000 characters/);
    expect(describeProblem('UNAVAILABLE')).toMatch(/try again/i);
  });

  test('presence reads as people online, of whom some search and some chat', () => {
    expect(formatPresence({ online: 9, waiting: 1, chatting: 6, away: 0 })).toEqual({
      online: '9 online',
      detail: ' · 1 searching · 6 chatting',
      title: '9 online: 1 searching, 6 chatting',
    });
    // Those whose chat waits for them to reconnect are not online, and are said apart.
    expect(formatPresence({ online: 1200, waiting: 0, chatting: 2, away: 3 }).title).toBe(
      '1,200 online: 0 searching, 2 chatting; 3 more reconnecting to a chat',
    );
  });

  test('interest lists read naturally', () => {
    expect(formatList(['music'])).toBe('music');
    expect(formatList(['music', 'films'])).toBe('music and films');
    expect(formatList(['music', 'films', 'chess'])).toBe('music, films and chess');
  });
});
