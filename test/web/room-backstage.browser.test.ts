/**
 * The backstage in Chromium against two parley nodes sharing one Redis, at
 * desktop and phone sizes: the host invites a member from the member list and
 * opens the backstage, the co-host and the invited member (on the other node)
 * enter it, labelled as a backstage; a plain member with its code finds no
 * such room; leaving the main room closes the backstage. Each size leaves a
 * screenshot of the host's backstage in docs/.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { clickUntil, createRoom, sayInRoom, VIEWPORTS } from './harness';
import { closePeople, joinByCode, people } from './room-people';
import { useRoomStack } from './room-stack';

jest.setTimeout(90_000);

const SIZES = VIEWPORTS;
const rooms = useRoomStack();

const person = (nodeIndex: number, name: string, options: BrowserContextOptions) => rooms.person(nodeIndex, name, options);

/** The bar's Backstage button; on a phone, the people drawer's. */
async function openBackstage(page: Page, phone: boolean): Promise<void> {
  if (phone) await (await people(page, phone)).getByTestId('room-backstage-open-drawer').click();
  else await page.getByTestId('room-backstage-open').click();
}

const codeOf = (page: Page): string => new URL(page.url()).pathname.split('/').pop()!;

test.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('the backstage opens for the host, co-hosts and invited members only, on %s', async (size) => {
  const options = SIZES[size];
  const phone = size === 'mobile';
  const host = await person(0, 'Hana', options);
  const main = await createRoom(host, `Stage ${size}`, { visibility: 'private' });
  const cole = await person(1, 'Cole', options);
  const gia = await person(1, 'Gia', options);
  const pat = await person(0, 'Pat', options);
  for (const page of [cole, gia, pat]) await joinByCode(page, main);
  await host.locator('[data-testid="room-member"][data-name="Pat"]').waitFor({ state: 'attached' });

  // The host makes Cole a co-host and invites Gia from the member list.
  const hostPeople = await people(host, phone);
  await clickUntil(
    hostPeople.locator('[data-testid="room-member"][data-name="Cole"]').getByTestId('room-role'),
    host.locator('[data-testid="room-member"][data-name="Cole"][data-role="cohost"]'),
    host.getByTestId('room-error'),
    'Cole was not made a co-host',
    'attached',
  );
  // A co-host is reached without an invitation: the list offers the invitation to plain members only.
  await hostPeople.locator('[data-testid="room-member"][data-name="Cole"]').getByTestId('room-backstage-invite').waitFor({ state: 'detached' });
  const inviteGia = hostPeople.locator('[data-testid="room-member"][data-name="Gia"]').getByTestId('room-backstage-invite');
  await inviteGia.click();
  await hostPeople.locator('[data-testid="room-member"][data-name="Gia"]').getByText('Invited to backstage').waitFor();
  await closePeople(host, phone);
  await gia.getByTestId('room-backstage-notice').filter({ hasText: 'Hana invited you to the backstage.' }).waitFor();
  for (const button of ['room-backstage-open', 'room-backstage-open-drawer']) expect(await pat.getByTestId(button).isVisible()).toBe(false);

  // Host, co-host and the invited member (from the invitation) open it: its own room, labelled Backstage.
  for (const page of [host, cole, gia]) {
    if (page === gia) await gia.getByTestId('room-backstage-notice-open').click();
    else await openBackstage(page, phone);
    await page.getByTestId('room-backstage-label').waitFor({ state: 'visible' });
    await page.getByTestId('room-title').filter({ hasText: `Backstage · Stage ${size}` }).waitFor();
  }
  const backstage = codeOf(host);
  expect(backstage).not.toBe(main);
  expect(codeOf(gia)).toBe(backstage);
  expect(await host.getByTestId('room-sub').textContent()).toBe('Host, co-hosts and invited people only · you’re Hana');
  expect(await host.getByTestId('room-copy-link').isVisible()).toBe(false);

  // Messages and presence across the nodes.
  await sayInRoom(host, 'the plan for tonight');
  for (const page of [cole, gia]) await page.getByTestId('room-message').filter({ hasText: 'the plan for tonight' }).waitFor();
  const backstagePeople = await people(host, phone);
  for (const name of ['Hana', 'Cole', 'Gia']) await backstagePeople.locator(`[data-testid="room-member"][data-name="${name}"]`).waitFor({ state: 'attached' });
  expect(await backstagePeople.locator('[data-testid="room-member"][data-name="Pat"]').count()).toBe(0);
  await closePeople(host, phone);
  await host.getByTestId('room-backstage-label').waitFor({ state: 'visible' });
  await rooms.shoot(host, `screenshot-room-backstage-${size}`);

  // A plain member who learns the code finds no such room.
  await pat.getByTestId('room-back').click();
  // Back on the list, it starts at the top, with one's rooms, wherever it was left when the room was joined.
  await pat.getByTestId('my-room').first().waitFor();
  expect(await pat.getByTestId('rooms-browse').evaluate((node) => node.scrollTop)).toBe(0);
  await joinByCode(pat, backstage, { refused: true });
  await pat.getByTestId('rooms-error').filter({ hasText: 'doesn’t exist' }).waitFor();
  expect(await pat.getByTestId('room-view').isVisible()).toBe(false);
  expect(await pat.getByText('the plan for tonight').count()).toBe(0);

  // Gia leaves the main room: the backstage closes on her page, and its people no longer list her.
  await gia.getByTestId('room-back').click();
  await gia.locator(`[data-testid="my-room"][data-code="${main}"]`).getByTestId('room-item-join').click();
  await gia.getByTestId('room-leave').click();
  await gia.getByTestId('rooms-notice').filter({ hasText: 'no longer in' }).waitFor();
  expect(await gia.locator(`[data-testid="my-room"][data-code="${backstage}"]`).count()).toBe(0);
  await host.locator('[data-testid="room-member"][data-name="Gia"]').waitFor({ state: 'detached' });
});
