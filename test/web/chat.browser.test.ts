/**
 * The web client in Chromium against two parley nodes sharing one Redis:
 * each person's page talks to a different node.
 */
import type { Page } from 'playwright-core';
import { eventually } from '../../testkit/eventually';
import { addInterests, say, startStack, userIdOf, waitForState, type Stack } from './harness';

jest.setTimeout(40_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(2, { RANDOM_FALLBACK_MS: '1500', MAX_MESSAGE_LENGTH: '200', MESSAGE_RATE_LIMIT: '5' });
});

afterAll(async () => {
  await stack?.close();
});

/** Two fresh people, one on each node, matched on a shared interest. */
async function matchedPair(shared: string): Promise<[Page, Page]> {
  const [nodeA, nodeB] = stack.nodes;
  const alice = await stack.open(nodeA!);
  const bob = await stack.open(nodeB!);
  await addInterests(alice, [shared, 'music']);
  await alice.getByTestId('start').click();
  await waitForState(alice, 'searching');
  await addInterests(bob, [shared]);
  await bob.getByTestId('start').click();
  await Promise.all([waitForState(alice, 'chatting'), waitForState(bob, 'chatting')]);
  return [alice, bob];
}

const messages = (page: Page, from: 'me' | 'partner') => page.locator(`[data-testid="message"][data-from="${from}"]`);

/** `from` sends `text` and `to` shows it. */
async function delivered(from: Page, to: Page, text: string): Promise<void> {
  await say(from, text);
  await messages(to, 'partner').filter({ hasText: text }).waitFor();
}

/** The page's network goes down and it says so. */
async function dropNetwork(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await waitForState(page, 'reconnecting');
}

test('two people on different nodes are matched on a shared interest and chat both ways', async () => {
  const [alice, bob] = await matchedPair('films');
  await alice.getByTestId('common-interests').filter({ hasText: 'films' }).waitFor();
  await bob.getByTestId('common-interests').filter({ hasText: 'films' }).waitFor();

  await alice.getByTestId('message-input').pressSequentially('hel');
  await bob.getByTestId('partner-typing').waitFor({ state: 'visible' });

  await say(alice, 'hello from alice');
  await messages(bob, 'partner').filter({ hasText: 'hello from alice' }).waitFor();
  await alice.locator('[data-testid="message"][data-from="me"][data-status="sent"]').filter({ hasText: 'hello from alice' }).waitFor();
  await bob.getByTestId('partner-typing').waitFor({ state: 'hidden' });

  await bob.getByTestId('message-input').fill('hi alice,\nbob here');
  await bob.getByTestId('send').click();
  await messages(alice, 'partner').filter({ hasText: 'bob here' }).waitFor();
  expect(await messages(alice, 'partner').last().locator('.bubble-text').textContent()).toBe('hi alice,\nbob here');
  expect(await messages(bob, 'me').count()).toBe(1);
});

test('a message that looks like HTML is shown as text and never runs', async () => {
  const [alice, bob] = await matchedPair('chess');
  const dialogs: string[] = [];
  alice.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const payload = '<img src=x onerror=alert(1)>';

  await say(bob, payload);
  const received = messages(alice, 'partner').last();
  await received.waitFor();
  expect(await received.locator('.bubble-text').textContent()).toBe(payload);
  expect(await alice.getByTestId('messages').locator('img').count()).toBe(0);
  // A later message proves the page kept running after rendering the payload.
  await say(bob, 'still fine?');
  await messages(alice, 'partner').filter({ hasText: 'still fine?' }).waitFor();
  expect(dialogs).toEqual([]);
});

test('the composer learns the length limit from the server and refuses longer text in words', async () => {
  const [alice] = await matchedPair('poetry');
  const input = alice.getByTestId('message-input');
  await input.fill('x'.repeat(200));
  await alice.locator('[data-testid="char-counter"]').filter({ hasText: '200 / 200' }).waitFor();
  expect(await alice.getByTestId('send').isEnabled()).toBe(true);

  await input.fill('x'.repeat(203));
  await alice.locator('[data-testid="char-counter"][data-level="over"]').filter({ hasText: '3 over' }).waitFor();
  expect(await alice.getByTestId('send').isDisabled()).toBe(true);
  await input.press('Enter');
  await alice.getByTestId('chat-error').filter({ hasText: 'under 200 characters' }).waitFor();
  expect(await alice.getByTestId('message').count()).toBe(0);
});

test('a message refused by the server is marked failed and the reason is given in words', async () => {
  const [alice, bob] = await matchedPair('running');
  for (let i = 1; i <= 6; i++) await say(alice, `message ${i}`);
  await alice.locator('[data-testid="message"][data-status="failed"]').filter({ hasText: 'message 6' }).waitFor();
  await alice.getByTestId('chat-error').filter({ hasText: 'going a little fast' }).waitFor();
  await messages(bob, 'partner').filter({ hasText: 'message 5' }).waitFor();
  expect(await messages(bob, 'partner').count()).toBe(5);
});

test('Next ends the chat: the other side sees why, and can search again in one click', async () => {
  const [alice, bob] = await matchedPair('hiking');
  await alice.getByTestId('next').click();
  await waitForState(alice, 'searching');

  await waitForState(bob, 'partner-left');
  await bob.getByTestId('partner-left').filter({ hasText: 'moved on to someone new' }).waitFor();
  expect(await bob.getByTestId('message-input').isVisible()).toBe(false);

  await bob.getByTestId('find-new').click();
  await waitForState(bob, 'searching');
  // Nobody else may stay in the queue: later tests expect to search alone.
  await Promise.all([alice.getByTestId('cancel').click(), bob.getByTestId('cancel').click()]);
  await Promise.all([waitForState(alice, 'idle'), waitForState(bob, 'idle')]);
});

test('Block asks first; confirming ends the chat for both', async () => {
  const [alice, bob] = await matchedPair('cats');
  await alice.getByTestId('block').click();
  const dialog = alice.getByTestId('block-dialog');
  await dialog.waitFor({ state: 'visible' });
  await alice.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await waitForState(alice, 'chatting');

  await alice.getByTestId('block').click();
  await alice.getByTestId('block-confirm').click();
  await waitForState(alice, 'idle');
  await alice.getByTestId('start-notice').filter({ hasText: 'Blocked' }).waitFor();
  await waitForState(bob, 'partner-left');
  await bob.getByTestId('partner-left').filter({ hasText: 'left the chat' }).waitFor();
});

test('a search with interests visibly widens to everyone after the fallback delay, and Cancel stops it', async () => {
  const carol = await stack.open(stack.nodes[0]!);
  await addInterests(carol, ['underwater basket weaving']);
  await carol.getByTestId('start').click();
  await waitForState(carol, 'searching');
  await carol.getByTestId('search-chips').filter({ hasText: 'underwater basket weaving' }).waitFor();
  await carol.getByTestId('search-fallback').waitFor({ state: 'visible' });
  await carol.getByTestId('cancel').click();
  await waitForState(carol, 'idle');
});

test('the start screen offers the browser’s languages, and find-match carries the languages chosen and the opt-in', async () => {
  const page = await stack.open(stack.nodes[0]!, { locale: 'pt-BR' });
  const input = page.getByTestId('languages-input');
  await input.waitFor();
  expect(await input.inputValue()).toBe('pt');
  // The page speaks the browser's language: the languages are named in Portuguese.
  await page.getByTestId('languages-hint').filter({ hasText: /português/i }).waitFor();
  await input.fill('pt-BR, de');
  // Meeting other languages is opted into.
  expect(await page.getByTestId('languages-any').isChecked()).toBe(false);
  await page.getByTestId('languages-any').check();
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');
  const userId = await userIdOf(page);
  await eventually(async () =>
    expect(await stack.nodes[0]!.server.store.getUser(userId)).toMatchObject({ state: 'waiting', languages: ['pt', 'de'], anyLanguageAfterMs: 20_000 }),
  );
  await page.getByTestId('cancel').click();
  await waitForState(page, 'idle');
  // The choice is kept for the next visit.
  await page.reload();
  await page.getByTestId('languages-input').waitFor();
  expect(await page.getByTestId('languages-input').inputValue()).toBe('pt, de');
  expect(await page.getByTestId('languages-any').isChecked()).toBe(true);
});

test('a network blip shows Reconnecting… and the page comes back by itself with the same identity', async () => {
  const erin = await stack.open(stack.nodes[0]!);
  const id = await userIdOf(erin);
  await waitForState(erin, 'idle');
  await erin.context().setOffline(true);
  await waitForState(erin, 'reconnecting');
  // The device itself is offline: one banner says so, in place of "Connection lost".
  await erin.getByTestId('offline-banner').waitFor({ state: 'visible' });
  expect(await erin.getByTestId('connection-banner').isVisible()).toBe(false);
  await erin.context().setOffline(false);
  await waitForState(erin, 'idle');
  await erin.getByTestId('offline-banner').waitFor({ state: 'hidden' });
  await erin.getByTestId('connection-banner').waitFor({ state: 'hidden' });
  expect(await userIdOf(erin)).toBe(id);
});

test('a chat survives a network blip: the partner is told to wait, and what was missed is replayed', async () => {
  const [alice, bob] = await matchedPair('sailing');
  await delivered(bob, alice, 'before the blip');

  await dropNetwork(alice);
  await bob.getByTestId('partner-away').waitFor({ state: 'visible' });
  await say(bob, 'while you were away');
  await bob.locator('[data-testid="message"][data-status="sent"]').filter({ hasText: 'while you were away' }).waitFor();

  await alice.context().setOffline(false);
  await waitForState(alice, 'chatting');
  await messages(alice, 'partner').filter({ hasText: 'while you were away' }).waitFor();
  await bob.getByTestId('partner-away').waitFor({ state: 'hidden' });
  expect(await messages(alice, 'partner').count()).toBe(2);

  await delivered(alice, bob, 'back again');
});

test('a message typed while the connection is down shows as sending, then reaches the partner exactly once after the reconnect', async () => {
  const [alice, bob] = await matchedPair('rowing');
  await delivered(alice, bob, 'before the tunnel');

  await dropNetwork(alice);
  await say(alice, 'typed in the tunnel');
  const pending = messages(alice, 'me').filter({ hasText: 'typed in the tunnel' });
  await pending.and(alice.locator('[data-status="sending"]')).waitFor();
  // Still pending, not failed, while the connection is down: it waits in the client's queue.
  await bob.getByTestId('partner-away').waitFor({ state: 'visible' });
  expect(await pending.getAttribute('data-status')).toBe('sending');
  expect(await messages(bob, 'partner').filter({ hasText: 'typed in the tunnel' }).count()).toBe(0);

  await alice.context().setOffline(false);
  await waitForState(alice, 'chatting');
  await pending.and(alice.locator('[data-status="sent"]')).waitFor({ timeout: 15_000 });
  await messages(bob, 'partner').filter({ hasText: 'typed in the tunnel' }).waitFor();
  // A later message arriving proves the earlier one had its chance to come twice.
  await delivered(alice, bob, 'out of the tunnel');
  expect(await messages(bob, 'partner').allTextContents()).toEqual([
    expect.stringContaining('before the tunnel'),
    expect.stringContaining('typed in the tunnel'),
    expect.stringContaining('out of the tunnel'),
  ]);
  expect(await messages(alice, 'me').filter({ hasText: 'typed in the tunnel' }).count()).toBe(1);
});

test('a message whose acknowledgement is lost with the connection is sent again with its clientId and reaches the partner once', async () => {
  const [alice, bob] = await matchedPair('caving');
  // Alice's WebSocket passes through here: the server's ack of one send is dropped, and the connection with it.
  let sendId: string | null = null;
  let dropped = false;
  let upgraded = false;
  await alice.context().routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      const send = typeof frame === 'string' ? /^42(\d+)\["send-message",\{"text":"lost its ack"/.exec(frame) : null;
      if (send && !dropped) sendId = send[1]!;
      if (frame === '5') upgraded = true; // engine.io's upgrade: from here on the client talks over this WebSocket
      server.send(frame);
    });
    server.onMessage((frame) => {
      if (sendId !== null && !dropped && typeof frame === 'string' && frame.startsWith(`43${sendId}[`)) {
        dropped = true;
        ws.close();
        server.close();
        return;
      }
      ws.send(frame);
    });
  });
  // A reload picks the chat up again over a connection that passes through the route.
  await alice.reload();
  await waitForState(alice, 'chatting');
  await eventually(() => expect(upgraded).toBe(true), 15_000);

  await say(alice, 'lost its ack');
  await eventually(() => expect(dropped).toBe(true), 15_000);
  await waitForState(alice, 'chatting');
  const mine = messages(alice, 'me').filter({ hasText: 'lost its ack' });
  await mine.and(alice.locator('[data-status="sent"]')).waitFor({ timeout: 15_000 });
  await delivered(alice, bob, 'after the retry');
  expect(await messages(bob, 'partner').filter({ hasText: 'lost its ack' }).count()).toBe(1);
  expect(await mine.count()).toBe(1);
});

test('a reload during a chat picks the chat up again, history included', async () => {
  const [alice, bob] = await matchedPair('knitting');
  await say(alice, 'first from alice');
  await say(bob, 'first from bob');
  await messages(alice, 'partner').filter({ hasText: 'first from bob' }).waitFor();

  await alice.reload();
  await waitForState(alice, 'chatting');
  await messages(alice, 'me').filter({ hasText: 'first from alice' }).waitFor();
  await messages(alice, 'partner').filter({ hasText: 'first from bob' }).waitFor();
  await alice.getByTestId('common-interests').filter({ hasText: 'knitting' }).waitFor();
  await say(bob, 'still here');
  await messages(alice, 'partner').filter({ hasText: 'still here' }).waitFor();
});

test('a reload keeps the identity', async () => {
  const dave = await stack.open(stack.nodes[1]!);
  const before = await userIdOf(dave);
  expect(before).not.toBe('');
  await dave.reload();
  await waitForState(dave, 'idle');
  expect(await userIdOf(dave)).toBe(before);
});

test('opening parley in a second tab pauses the first, which can take over again', async () => {
  const first = await stack.open(stack.nodes[0]!);
  const id = await userIdOf(first);
  // Same origin, so the same stored identity.
  const second = await first.context().newPage();
  await second.goto(stack.nodes[0]!.url);
  expect(await userIdOf(second)).toBe(id);

  await first.getByTestId('reconnect').waitFor({ state: 'visible' });
  await first.getByTestId('reconnect').click();
  await second.getByTestId('reconnect').waitFor({ state: 'visible' });
  await first.getByTestId('start').waitFor({ state: 'visible' });
  expect(await userIdOf(first)).toBe(id);
});
