/**
 * Pins and reactions in Chromium on two parley nodes, at desktop and phone
 * sizes: the host pins a message from its menu and every page shows it in
 * the pinned bar until it is unpinned; people react from the picker, see
 * the counts live, their own highlighted, and take a reaction back with a tap.
 * Screenshots of both sizes go to docs/.
 */
import type { Page } from 'playwright-core';
import { createRoom, sayInRoom } from './harness';
import { useRoomStack } from './room-stack';

jest.setTimeout(90_000);

const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;

const rooms = useRoomStack();

const message = (page: Page, text: string) => page.getByTestId('room-message').filter({ hasText: text });
const chip = (page: Page, text: string, emoji: string) => message(page, text).locator(`[data-testid="room-reaction"][data-emoji="${emoji}"]`);

test.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('at %s size the host pins and unpins, and reactions show live on both nodes', async (size) => {
  const options = SIZES[size];
  const host = await rooms.person(0, 'Hosty', options);
  const code = await createRoom(host, `Pins ${size}`, { visibility: 'private' });
  const guest = await rooms.guest(1, code, options);
  await guest.getByTestId('room-title').filter({ hasText: `Pins ${size}` }).waitFor();
  await sayInRoom(host, 'Welcome, read the rules first');
  await sayInRoom(guest, 'hello there');
  await message(host, 'hello there').waitFor();

  // Only the host has the pin tool; the menu offers how long.
  expect(await guest.getByTestId('room-pin').count()).toBe(0);
  await message(host, 'Welcome').getByTestId('room-pin').click();
  await message(host, 'Welcome').getByTestId('room-pin-menu').waitFor();
  await message(host, 'Welcome').locator('[data-testid="room-pin-for"][data-duration="3600000"]').click();
  for (const page of [host, guest]) {
    await page.getByTestId('room-pins').getByTestId('room-pin-item').filter({ hasText: 'Welcome, read the rules first' }).waitFor();
  }
  expect(await guest.getByTestId('room-unpin').count()).toBe(0);

  // The guest reacts from the picker; the host adds the same emoji and another one.
  await message(guest, 'Welcome').getByTestId('room-react').click();
  await message(guest, 'Welcome').locator('[data-testid="room-emoji"][data-emoji="👍"]').click();
  await chip(host, 'Welcome', '👍').filter({ hasText: '1' }).waitFor();
  expect(await chip(host, 'Welcome', '👍').getAttribute('aria-pressed')).toBe('false');
  expect(await chip(guest, 'Welcome', '👍').getAttribute('aria-pressed')).toBe('true');
  await chip(host, 'Welcome', '👍').click();
  await message(host, 'hello there').getByTestId('room-react').click();
  await message(host, 'hello there').locator('[data-testid="room-emoji"][data-emoji="🎉"]').click();
  await chip(guest, 'Welcome', '👍').filter({ hasText: '2' }).waitFor();
  await chip(guest, 'hello there', '🎉').filter({ hasText: '1' }).waitFor();
  expect(await chip(host, 'Welcome', '👍').getAttribute('aria-pressed')).toBe('true');
  expect(await chip(guest, 'hello there', '🎉').getAttribute('aria-pressed')).toBe('false');

  await rooms.shoot(guest, `screenshot-room-pins-reactions-${size}`);

  // A tap on your own chip takes your reaction back.
  await chip(guest, 'Welcome', '👍').click();
  await chip(host, 'Welcome', '👍').filter({ hasText: '1' }).waitFor();
  expect(await chip(guest, 'Welcome', '👍').getAttribute('aria-pressed')).toBe('false');

  // Unpinning from the bar clears it on both pages.
  await host.getByTestId('room-pins').getByTestId('room-unpin').click();
  for (const page of [host, guest]) await page.getByTestId('room-pins').waitFor({ state: 'hidden' });
});
