/**
 * Names and titles go through the content filter and are refused, never masked: a room's title and
 * topic, the name a member chooses in a room (ROOM_CONTENT_FILTER), a contact's nickname
 * (CHAT_CONTENT_FILTER). Single nodes, memory stores.
 */
import type { Contact, RoomInfo } from '../../src/protocol';
import { connect, disconnectAll, next, request } from '../helpers/clients';
import { chat, contactsOf } from '../helpers/contacts';
import { startNode, type RunningNode } from '../../testkit/nodes';

let filtered: RunningNode;
let unfiltered: RunningNode;

beforeAll(async () => {
  // ROOM_CONTENT_FILTER keeps its default, mask: names are refused all the same.
  filtered = await startNode({ ROOMS: 'general', CHAT_CONTENT_FILTER: 'mask', MATCH_COOLDOWN_MS: '0' });
  unfiltered = await startNode({ ROOMS: 'general', ROOM_CONTENT_FILTER: 'off', MATCH_COOLDOWN_MS: '0' });
});
afterEach(() => disconnectAll());
afterAll(async () => {
  await Promise.all([filtered?.close(), unfiltered?.close()]);
});

const blocked = { ok: false, error: { code: 'CONTENT_BLOCKED', message: expect.any(String) } };

async function roomTitles(url: string): Promise<string[]> {
  const page = (await (await fetch(`${url}/api/rooms`)).json()) as { rooms: RoomInfo[] };
  return page.rooms.map((room) => room.title);
}

test('a room title or topic with a listed word is refused and no room is made; an innocent one is kept as typed', async () => {
  const host = await connect(filtered.url);
  expect(await request(host, 'room-create', { title: 'sh1t talkers', visibility: 'public' })).toEqual(blocked);
  expect(await request(host, 'room-create', { title: 'Night owls', topic: 'f u c k', visibility: 'public' })).toEqual(blocked);
  expect(await roomTitles(filtered.url)).toEqual(['general']);

  const title = 'Cockpit crew at 455 Main St';
  const created = await request<{ room: RoomInfo }>(host, 'room-create', { title, topic: 'aviation', visibility: 'public' });
  expect(created).toMatchObject({ ok: true, room: { title, topic: 'aviation' } });
  expect(await roomTitles(filtered.url)).toContain(title);
});

test('a chosen room name with a listed word is refused, never masked; Dick as a name is a name', async () => {
  const member = await connect(filtered.url);
  expect(await request(member, 'room-join', { code: 'general', name: 'b1tch' })).toEqual(blocked);
  expect(await request(member, 'room-message', { code: 'general', text: 'hello' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });

  const joined = await request<{ you: { name: string } }>(member, 'room-join', { code: 'general', name: 'Dick' });
  expect(joined).toMatchObject({ ok: true, you: { name: 'Dick' } });
});

test('with ROOM_CONTENT_FILTER=off titles and names are not filtered', async () => {
  const host = await connect(unfiltered.url);
  expect(await request(host, 'room-create', { title: 'sh1t talkers', visibility: 'public' })).toMatchObject({
    ok: true,
    room: { title: 'sh1t talkers' },
  });
  expect(await request(host, 'room-join', { code: 'general', name: 'b1tch' })).toMatchObject({ ok: true, you: { name: 'b1tch' } });
});

test('a contact nickname with a listed word is refused and the old one kept; an innocent one is kept as typed', async () => {
  const alice = await connect(filtered.url);
  const bob = await connect(filtered.url);
  await chat(alice, bob);
  const added = next<{ contact: Contact }>(alice, 'contact-added');
  await request(alice, 'keep-in-touch', {});
  await request(bob, 'keep-in-touch', {});
  const { contactId } = (await added).contact;

  expect(await request(alice, 'contact-rename', { contactId, nickname: 'Bob from Scunthorpe' })).toEqual({ ok: true });
  expect(await request(alice, 'contact-rename', { contactId, nickname: 'that c*nt' })).toEqual(blocked);
  expect((await contactsOf(alice))[0]).toMatchObject({ contactId, nickname: 'Bob from Scunthorpe' });
});
