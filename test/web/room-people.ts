/** People in a room, for the browser tests: someone on a node under a room name, joining by code, the people list. */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { openRooms, type Stack } from './harness';

/**
 * A person on `stack.nodes[nodeIndex]` with a chosen room name, on the rooms side.
 * `clockAheadMs`: the page's clock runs that far ahead of the server's from the start (timers run as usual),
 * so what ends by itself on the page (an edit window, a mute) ends that much sooner in real time.
 */
export async function roomPerson(
  stack: Stack,
  nodeIndex: number,
  name: string,
  options: BrowserContextOptions,
  { clockAheadMs = 0 }: { clockAheadMs?: number } = {},
): Promise<Page> {
  const page = await stack.open(stack.nodes[nodeIndex]!, { ...options, reducedMotion: 'reduce' });
  if (clockAheadMs !== 0) {
    await page.clock.install({ time: Date.now() + clockAheadMs });
    await page.reload();
  }
  await page.getByTestId('tab-rooms').waitFor();
  await openRooms(page);
  await page.getByTestId('room-name-input').fill(name);
  return page;
}

/** Joins by the room's code from the rooms list screen; waits for the room unless `refused` is expected. */
export async function joinByCode(page: Page, code: string, { refused = false } = {}): Promise<void> {
  await page.getByTestId('room-link-input').fill(code);
  await page.getByTestId('room-link-join').click();
  if (!refused) await page.getByTestId('room-view').waitFor();
}

/** The member list (a drawer on a phone, opened). */
export async function people(page: Page, phone: boolean) {
  if (phone && (await page.getByTestId('room-view').getAttribute('data-drawer')) !== 'open') {
    await page.getByTestId('room-members-toggle').click();
  }
  return page.getByTestId('room-members-panel');
}

/** Closes the people drawer of a phone when it is open. */
export async function closePeople(page: Page, phone: boolean): Promise<void> {
  if (phone && (await page.getByTestId('room-view').getAttribute('data-drawer')) === 'open') await page.getByTestId('room-members-close').click();
}

export const member = (page: Page, name: string) => page.locator(`[data-testid="room-member"][data-name="${name}"]`);
