/**
 * The page in the reader's language in Chromium: German and Arabic browsers
 * get the page in their language with the right `lang` and `dir`, Arabic
 * mirrored (own bubbles and the send button on the left), the language menu
 * changes and keeps the choice, and the rules are shown and accepted in the
 * page's language. Phone-size pictures of German and Arabic go to docs/.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { addInterests, say, SCREENSHOTS_DIR, startStack, VIEWPORTS, waitForState, type Stack } from './harness';

jest.setTimeout(90_000);

const DOCS = path.join(__dirname, '..', '..', 'docs');
let stack: Stack;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  stack = await startStack(2, { RULES_GATE: 'on', MIN_AGE: '18' });
});

afterAll(async () => {
  await stack?.close();
});

const phone = (locale: string): BrowserContextOptions => ({ ...VIEWPORTS.mobile, locale, reducedMotion: 'reduce' });

/** Reads the page's language and direction off <html>. */
const htmlLanguage = async (page: Page) => {
  const html = page.locator('html');
  return { lang: await html.getAttribute('lang'), dir: await html.getAttribute('dir') };
};

/** Accepts the rules dialog (in whatever language it speaks). */
async function acceptRules(page: Page): Promise<void> {
  await page.getByTestId('rules-dialog').waitFor({ state: 'visible' });
  await page.getByTestId('rules-text').locator('.rules-heading, .rules-paragraph').first().waitFor();
  await page.getByTestId('rules-age').check();
  await page.getByTestId('rules-accept').click();
  await page.getByTestId('rules-dialog').waitFor({ state: 'hidden' });
}

async function picture(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  copyFileSync(file, path.join(DOCS, `${name}.png`));
}

test('a German browser gets the page, the rules and their version in German', async () => {
  const page = await stack.open(stack.nodes[0]!, phone('de-DE'));
  await page.getByTestId('rules-dialog').waitFor({ state: 'visible' });
  expect(await htmlLanguage(page)).toEqual({ lang: 'de', dir: 'ltr' });
  expect(await page.getByTestId('rules-age-label').textContent()).toBe('Ich bin mindestens 18 Jahre alt');
  await page.getByTestId('rules-text').getByText('Wie du dich verhältst').waitFor();
  await acceptRules(page);
  await page.getByTestId('start').filter({ hasText: 'Chat starten' }).waitFor();
  expect(await page.getByTestId('tab-rooms').textContent()).toBe('Räume');
  expect(await page.getByTestId('message-input').getAttribute('placeholder')).toBe('Sag hallo…');
  expect(await page.getByTestId('language-menu').inputValue()).toBe('de');
  expect(await page.title()).toBe('parley · mit Fremden chatten');
  // The German text's own version was accepted: the server lets this identity search.
  await addInterests(page, ['Musik', 'Filme']);
  await page.getByTestId('online-count').filter({ hasText: /\d online/ }).waitFor();
  await picture(page, 'screenshot-de-mobile');
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');
  expect(await page.getByTestId('status').textContent()).toContain('Suche…');
  await page.getByTestId('cancel').click();
  await waitForState(page, 'idle');
});

test('an Arabic chat runs right to left: own bubbles on the left, the send button before the text box', async () => {
  const me = await stack.open(stack.nodes[0]!, phone('ar-EG'));
  const stranger = await stack.open(stack.nodes[1]!, phone('ar'));
  await acceptRules(me);
  await acceptRules(stranger);
  expect(await htmlLanguage(me)).toEqual({ lang: 'ar', dir: 'rtl' });
  await me.getByTestId('start').click();
  await waitForState(me, 'searching');
  await stranger.getByTestId('start').click();
  await Promise.all([waitForState(me, 'chatting'), waitForState(stranger, 'chatting')]);
  await say(me, 'مرحبا! كيف حالك؟');
  await stranger.getByTestId('message').filter({ hasText: 'مرحبا' }).waitFor();
  await say(stranger, 'بخير، شكرًا. وأنت؟');
  await say(me, 'Great, thanks — I’m learning Arabic 🙂');
  await me.getByTestId('message').filter({ hasText: 'وأنت' }).waitFor();
  await me.getByTestId('message').filter({ hasText: 'learning' }).locator('.msg-delivery', { hasText: 'أُرسلت' }).waitFor();

  const box = async (selector: string) => (await me.locator(selector).first().boundingBox())!;
  const mine = await box('.msg-me .bubble');
  const theirs = await box('.msg-partner .bubble');
  const width = VIEWPORTS.mobile.viewport.width;
  // Mirrored: the stranger's bubbles start at the right edge, one's own sit on the left.
  expect(theirs.x + theirs.width).toBeGreaterThan(width - 40);
  expect(mine.x).toBeLessThan(40);
  const input = await box('[data-testid="message-input"]');
  const send = await box('[data-testid="send"]');
  expect(send.x + send.width).toBeLessThanOrEqual(input.x + 1);
  expect(await me.getByTestId('next').textContent()).toContain('التالي');
  await picture(me, 'screenshot-ar-mobile');
});

test('the language menu changes the page’s language, and the choice is kept', async () => {
  const page = await stack.open(stack.nodes[0]!, { viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await acceptRules(page);
  expect(await htmlLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
  await page.getByTestId('start').filter({ hasText: 'Start chatting' }).waitFor();
  await Promise.all([page.waitForEvent('load'), page.getByTestId('language-menu').selectOption('es')]);
  await page.locator('html[lang="es"]').waitFor({ state: 'attached' });
  // "Conectando…" until the page is connected again.
  await page.getByTestId('start').filter({ hasText: 'Empezar a chatear' }).waitFor();
  // The identity accepted the English rules, which are still current: no second gate in Spanish.
  await page.reload();
  await page.locator('html[lang="es"]').waitFor({ state: 'attached' });
  expect(await page.getByTestId('tab-contacts').textContent()).toBe('Contactos');
  expect(await page.getByTestId('rules-dialog').isVisible()).toBe(false);
});
