/**
 * The rules and age gate and the browser check in Chromium, against two
 * nodes with RULES_GATE on and proof of work required of new identities.
 */
import { userIdOf, waitForState, startStack, type Stack } from './harness';

jest.setTimeout(60_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(2, { RULES_GATE: 'on', MIN_AGE: '19', POW_DIFFICULTY: '20000', RANDOM_FALLBACK_MS: '500' });
});

afterAll(async () => {
  await stack?.close();
});

test('a first visit checks the browser, then shows the rules until the age is confirmed and they are accepted', async () => {
  const [nodeA] = stack.nodes;
  const context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The check may be over before any poll could see it: the page itself records each change of state,
  // with whether the banner was showing at that moment.
  await context.addInitScript(`
    window.powSeen = [];
    new MutationObserver(() => {
      const banner = document.querySelector('[data-testid="pow-check"]');
      window.powSeen.push({ pow: document.documentElement.dataset.pow ?? null, banner: !!banner && !banner.hidden });
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-pow'] });
  `);
  const page = await context.newPage();
  await page.goto(nodeA!.url);
  await userIdOf(page);
  // The browser check came before the connection, with its banner shown, and is gone.
  expect(await page.evaluate('window.powSeen')).toEqual([
    { pow: 'checking', banner: true },
    { pow: null, banner: false },
  ]);
  expect(await page.getByTestId('pow-check').isVisible()).toBe(false);

  const dialog = page.getByTestId('rules-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.getByTestId('rules-text').getByText('How to behave').waitFor();
  expect(await page.getByTestId('rules-age-label').textContent()).toBe('I am at least 19 years old');
  const accept = page.getByTestId('rules-accept');
  expect(await accept.isDisabled()).toBe(true);
  // Escape does not get past the gate.
  await page.keyboard.press('Escape');
  expect(await dialog.isVisible()).toBe(true);

  await page.getByTestId('rules-age').check();
  await accept.click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');

  // A reload keeps the identity (no second check) and the acceptance (no second gate).
  await page.getByTestId('cancel').click();
  const userId = await userIdOf(page);
  await page.reload();
  expect(await userIdOf(page)).toBe(userId);
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');
  expect(await dialog.isVisible()).toBe(false);
  await page.close();
});

test('two people who passed the gate on different nodes are matched', async () => {
  const [nodeA, nodeB] = stack.nodes;
  const pages = await Promise.all([stack.open(nodeA!), stack.open(nodeB!)]);
  for (const page of pages) {
    await page.getByTestId('rules-dialog').waitFor({ state: 'visible' });
    await page.getByTestId('rules-age').check();
    await page.getByTestId('rules-accept').click();
    await page.getByTestId('rules-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('start').click();
  }
  await Promise.all(pages.map((page) => waitForState(page, 'chatting')));
});

test('the rules page is readable on its own', async () => {
  const page = await stack.open(stack.nodes[0]!);
  await page.goto(`${stack.nodes[0]!.url}/rules`);
  expect(await page.locator('h1').textContent()).toBe('parley rules');
  expect(await page.locator('li').count()).toBeGreaterThan(3);
});
