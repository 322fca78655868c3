/**
 * Co-hosts, mutes, slow mode and the room's settings in Chromium against two
 * parley nodes sharing one Redis, at desktop and phone sizes: the host's page
 * talks to one node, the others' to the other. Each size leaves a screenshot
 * of the host's tools in docs/.
 */
import type { BrowserContextOptions } from 'playwright-core';
import { createRoom, sayInRoom, VIEWPORTS } from './harness';
import { closePeople, joinByCode, member, people } from './room-people';
import { useRoomStack } from './room-stack';

jest.setTimeout(90_000);

const SIZES = VIEWPORTS;
const rooms = useRoomStack();

const person = (nodeIndex: number, name: string, options: BrowserContextOptions, clockAheadMs = 0) => rooms.person(nodeIndex, name, options, { clockAheadMs });

/** How long a 5-minute mute still shows on Cid's page, whose clock runs ahead of the server's by the rest. */
const MUTE_SEEN_MS = 20_000;

test.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('co-host tools, slow mode and the room settings work on %s', async (size) => {
  const options = SIZES[size];
  const phone = size === 'mobile';
  const host = await person(0, 'Hana', options);
  const code = await createRoom(host, `Harbour ${size}`, { visibility: 'private' });
  const ann = await person(1, 'Ann', options);
  await joinByCode(ann, code);
  const bea = await person(1, 'Bea', options);
  await joinByCode(bea, code);
  await member(host, 'Bea').waitFor({ state: 'attached' });

  // The host sets slow mode, a description and rules; everyone sees them at once.
  // On a phone the settings open from the people drawer, so the bar leaves room for the title.
  if (phone) await (await people(host, phone)).getByTestId('room-settings-open-drawer').click();
  else await host.getByTestId('room-settings-open').click();
  await host.getByTestId('room-settings-dialog').waitFor({ state: 'visible' });
  await host.getByTestId('room-slow-mode-input').selectOption('5');
  await host.getByTestId('room-description-input').fill('Boats, tides and knots.');
  await host.getByTestId('room-rules-input').fill('Be kind. No selling.');
  await host.getByTestId('room-settings-save').click();
  await host.getByTestId('room-settings-dialog').waitFor({ state: 'hidden' });
  for (const page of [ann, bea]) {
    await page.getByTestId('room-description').filter({ hasText: 'Boats, tides and knots.' }).waitFor();
    await page.getByTestId('room-rules').filter({ hasText: 'Be kind. No selling.' }).waitFor();
    await page.getByTestId('room-system-message').filter({ hasText: 'Slow mode is on: one message every 5 s.' }).waitFor();
    await page.getByTestId('room-slow-mode').filter({ hasText: 'one message every 5 s' }).waitFor();
  }
  for (const button of ['room-settings-open', 'room-settings-open-drawer']) expect(await ann.getByTestId(button).isVisible()).toBe(false);
  if (phone) expect(await host.getByTestId('room-settings-open').isVisible()).toBe(false);
  // Someone joining later reads them at join, open.
  const cid = await person(0, 'Cid', options, 5 * 60_000 - MUTE_SEEN_MS);
  await joinByCode(cid, code);
  await cid.getByTestId('room-description').filter({ hasText: 'Boats, tides and knots.' }).waitFor();
  expect(await cid.getByTestId('room-about').getAttribute('open')).not.toBeNull();

  // A plain member waits between two messages: the composer counts down.
  await sayInRoom(bea, 'first from Bea');
  await host.getByTestId('room-message').filter({ hasText: 'first from Bea' }).waitFor();
  await bea.locator('[data-testid="room-slow-mode"][data-waiting="true"]').filter({ hasText: /send again in \d s/ }).waitFor();
  expect(await bea.getByTestId('room-send').isDisabled()).toBe(true);
  await bea.getByTestId('room-input').fill('too soon');
  await bea.getByTestId('room-input').press('Enter');
  await bea.getByTestId('room-error').filter({ hasText: 'Slow mode is on' }).waitFor();
  expect(await bea.getByTestId('room-input').inputValue()).toBe('too soon');
  // The host is exempt.
  await host.getByTestId('room-slow-mode').filter({ hasText: 'exempt' }).waitFor();
  await sayInRoom(host, 'host one');
  await sayInRoom(host, 'host two');
  await bea.locator('[data-testid="room-message"][data-kind="host"]').filter({ hasText: 'host two' }).waitFor();

  // The host names Ann co-host from the member list; Ann gets the tools for plain members only.
  await (await people(host, phone)).locator('[data-testid="room-member"][data-name="Ann"]').getByTestId('room-role').click();
  await host.locator('[data-testid="room-member"][data-name="Ann"][data-role="cohost"]').waitFor({ state: 'attached' });
  await ann.getByTestId('room-system-message').filter({ hasText: 'Ann is now a co-host.' }).waitFor();
  // A reader whose page is in German reads the room's own messages in German, in the history it joins with.
  const dora = await person(1, 'Dora', { ...options, locale: 'de-DE' });
  await joinByCode(dora, code);
  await dora.getByTestId('room-system-message').filter({ hasText: 'Langsamer Modus ist an: eine Nachricht alle 5 s.' }).waitFor();
  await dora.getByTestId('room-system-message').filter({ hasText: 'Ann ist jetzt Co-Host.' }).waitFor();
  expect(await dora.getByTestId('room-system-message').filter({ hasText: /is now a co-host|Slow mode is on/ }).count()).toBe(0);
  const annPeople = await people(ann, phone);
  await annPeople.locator('[data-testid="room-member"][data-name="Bea"]').getByTestId('room-mute-5m').waitFor();
  expect(await member(ann, 'Hana').getByTestId('room-mute-5m').count()).toBe(0);
  expect(await member(ann, 'Hana').getByTestId('room-kick').count()).toBe(0);
  expect(await member(ann, 'Hana').getByTestId('room-role').count()).toBe(0);
  await (await people(host, phone)).waitFor();
  await rooms.shoot(host, `screenshot-room-roles-${size}`);
  // The actions under each message keep to one line on a phone, without making the list scroll sideways.
  expect(await host.getByTestId('room-messages').evaluate((list) => list.scrollWidth <= list.clientWidth)).toBe(true);
  const actionRows = await host.locator('[data-testid="room-message"] .msg-meta').evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
  expect(Math.max(...actionRows)).toBeLessThan(40);
  // However often the room is drawn, the bar names the member once.
  expect(await host.getByTestId('room-sub').textContent()).toBe('Private room · you’re Hana');

  // Ann mutes Bea for 5 minutes: Bea's send is refused with the time it ends.
  await member(ann, 'Bea').getByTestId('room-mute-5m').click();
  await member(bea, 'Bea').getByTestId('room-member-muted').waitFor({ state: 'attached' });
  // The mark ends with the mute, with no change to the list: on Cid's page (its clock ahead) it goes by itself.
  await member(cid, 'Bea').getByTestId('room-member-muted').waitFor({ state: 'attached' });
  await member(cid, 'Bea').getByTestId('room-member-muted').waitFor({ state: 'detached', timeout: MUTE_SEEN_MS + 10_000 });
  expect(await member(bea, 'Bea').getByTestId('room-member-muted').count()).toBe(1);
  await bea.getByTestId('room-slow-mode').filter({ hasText: /muted until \d{1,2}:\d{2}/ }).waitFor();
  await closePeople(ann, phone);
  await bea.locator('[data-testid="room-slow-mode"][data-waiting="false"]').waitFor({ timeout: 10_000 });
  await bea.getByTestId('room-send').click();
  await bea.getByTestId('room-error').filter({ hasText: /muted in this room until \d{1,2}:\d{2}/ }).waitFor();
  expect(await host.getByTestId('room-message').filter({ hasText: 'too soon' }).count()).toBe(0);

  // Unmuted, Bea's message goes through; Ann removes Bea.
  await (await people(ann, phone)).locator('[data-testid="room-member"][data-name="Bea"]').getByTestId('room-unmute').click();
  await member(bea, 'Bea').getByTestId('room-member-muted').waitFor({ state: 'detached' });
  await sayInRoom(bea, 'back again');
  await host.getByTestId('room-message').filter({ hasText: 'back again' }).waitFor();
  await member(ann, 'Bea').getByTestId('room-kick').click();
  await ann.getByTestId('room-confirm-ok').click();
  await bea.getByTestId('rooms-notice').filter({ hasText: 'removed you' }).waitFor();

  // A co-host pins from a message's menu, and unpins from the pinned bar; a plain member has neither tool.
  await closePeople(ann, phone);
  expect(await cid.getByTestId('room-pin').count()).toBe(0);
  const hostOne = ann.getByTestId('room-message').filter({ hasText: 'host one' });
  await hostOne.getByTestId('room-pin').click();
  await hostOne.locator('[data-testid="room-pin-for"][data-duration="0"]').click();
  for (const page of [host, cid]) await page.getByTestId('room-pins').getByTestId('room-pin-item').filter({ hasText: 'host one' }).waitFor();
  expect(await cid.getByTestId('room-unpin').count()).toBe(0);
  await ann.getByTestId('room-pins').getByTestId('room-unpin').click();
  for (const page of [host, cid]) await page.getByTestId('room-pins').waitFor({ state: 'hidden' });
});
