/**
 * A contact who closes parley shows as "Away" at once, not "Online" for the
 * whole resume grace: in Chromium against two nodes sharing Redis and
 * PostgreSQL. The grace is a minute here, so "at once" and "after the grace"
 * cannot be confused.
 */
import type { Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { matchedPair, startStack, type Stack } from './harness';

jest.setTimeout(60_000);

const GRACE_MS = 60_000;

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(2, { DATABASE_URL: postgres.url, RESUME_GRACE_MS: String(GRACE_MS) });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

async function keepInTouch(a: Page, b: Page): Promise<void> {
  await a.getByTestId('keep-in-touch').click();
  await b.locator('[data-testid="keep-bar"][data-state="theirs"]').waitFor();
  await b.getByTestId('keep-in-touch').click();
  await a.locator('[data-testid="keep-bar"][data-state="connected"]').waitFor();
}

test('a contact who closed the tab shows Away within seconds, long before the resume grace ends', async () => {
  const [alice, bob] = await matchedPair(stack);
  await keepInTouch(alice, bob);
  await alice.getByTestId('leave').click();
  await alice.getByTestId('tab-contacts').click();
  const contact = alice.getByTestId('contact-item').first();
  await alice.locator('[data-testid="contact-item"][data-online="true"]').waitFor();
  await contact.locator('button').click();
  await alice.getByTestId('dm-presence').filter({ hasText: 'Online' }).waitFor();

  const closedAt = Date.now();
  await bob.context().close();
  await alice.getByTestId('dm-presence').filter({ hasText: 'Away' }).waitFor({ timeout: 20_000 });
  expect(Date.now() - closedAt).toBeLessThan(GRACE_MS / 3);
  expect(await alice.getByTestId('dm-view').getAttribute('data-presence')).toBe('away');
  expect(await alice.getByTestId('dm-presence-dot').getAttribute('class')).toContain('presence-away');
  expect(await contact.getAttribute('data-presence')).toBe('away');
  expect(await contact.getByTestId('contact-state').textContent()).toContain('away');
  expect(await contact.locator('button').getAttribute('aria-describedby')).toBe(await contact.getByTestId('contact-state').getAttribute('id'));
});
