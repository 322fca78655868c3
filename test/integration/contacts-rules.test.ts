/**
 * The contacts rules across two nodes on real Redis and PostgreSQL: remove
 * and block, the offer window, limits and error codes, bad payloads, and
 * deleting an identity.
 */
import type { Contact } from '../../src/protocol';
import { connect, eventually, next, quietFor, request } from '../helpers/clients';
import { befriend, chat, contactsOf, OFFER_MS, useContactsCluster } from '../helpers/contacts';

const fixture = useContactsCluster({ CONTACTS_MAX: '2', DM_RATE_LIMIT: '5', MAX_MESSAGE_LENGTH: '20' });

test('removing a contact tells the other side with its own id; neither can write to it any more', async () => {
  const { alice, bob, aliceSees, bobSees } = await befriend(fixture);
  await request(alice, 'dm-send', { contactId: aliceSees, text: 'soon gone' });
  const removed = next(bob, 'contact-removed');
  expect(await request(alice, 'contact-remove', { contactId: aliceSees })).toEqual({ ok: true });
  expect(await removed).toEqual({ contactId: bobSees });
  expect(await contactsOf(alice)).toEqual([]);
  expect(await contactsOf(bob)).toEqual([]);
  expect(await request(bob, 'dm-send', { contactId: bobSees, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'CONTACT_NOT_FOUND' } });
  const { rows } = await fixture.nodes[0]!.server.postgres!.pool.query('SELECT 1 FROM direct_messages WHERE text = $1', ['soon gone']);
  expect(rows).toEqual([]);
});

test('blocking a contact removes it and blocks matching both ways; the blocked one cannot keep in touch again', async () => {
  const { alice, bob, aliceSees, bobSees } = await befriend(fixture);
  const removed = next(alice, 'contact-removed');
  expect(await request(bob, 'contact-block', { contactId: bobSees })).toEqual({ ok: true });
  expect(await removed).toEqual({ contactId: aliceSees });
  const store = fixture.nodes[1]!.server.store;
  expect(await store.blockedUntil(bob.session.userId, alice.session.userId, Date.now())).toBeGreaterThan(Date.now());
  // Alice's last chat was with Bob, within the window: the block refuses it.
  expect(await request(alice, 'keep-in-touch', {})).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
});

test('keep-in-touch needs a chat, and is refused once the window after it has passed', async () => {
  const loner = await connect(fixture.urls[0]!);
  expect(await request(loner, 'keep-in-touch', {})).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
  const other = await connect(fixture.urls[1]!);
  await chat(loner, other);
  await request(other, 'leave-room', {});
  await quietFor(OFFER_MS + 200);
  expect(await request(loner, 'keep-in-touch', {})).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
});

test('a third contact over CONTACTS_MAX is refused with TOO_MANY_CONTACTS', async () => {
  const hub = await connect(fixture.urls[0]!);
  for (let i = 0; i < 3; i++) {
    const peer = await connect(fixture.urls[1]!);
    await chat(hub, peer);
    expect(await request(peer, 'keep-in-touch', {})).toMatchObject({ ok: true, state: 'offered' });
    const answer = await request(hub, 'keep-in-touch', {});
    if (i < 2) expect(answer).toEqual({ ok: true, state: 'connected' });
    else expect(answer).toMatchObject({ ok: false, error: { code: 'TOO_MANY_CONTACTS' } });
    await request(hub, 'leave-room', {});
  }
  expect(await contactsOf(hub)).toHaveLength(2);
});

test('DMs follow the chat’s length rules and a cluster-wide rate limit', async () => {
  const { alice, aliceSees, bob } = await befriend(fixture);
  expect(await request(alice, 'dm-send', { contactId: aliceSees, text: '  ' })).toMatchObject({ ok: false, error: { code: 'EMPTY_MESSAGE' } });
  expect(await request(alice, 'dm-send', { contactId: aliceSees, text: 'x'.repeat(21) })).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
  expect(await request(alice, 'dm-send', { contactId: 'no-such-contact', text: 'hi' })).toMatchObject({ ok: false, error: { code: 'CONTACT_NOT_FOUND' } });
  // The three refused attempts above spent budget too (it is spent first); the rest is
  // shared by the cluster: the same identity on the other node has 2 of 5 left.
  const results: string[] = [];
  const moved = await connect(fixture.urls[1]!, { token: alice.session.token });
  for (let i = 0; i < 5; i++) {
    const r = await request(moved, 'dm-send', { contactId: aliceSees, text: `n${i}` });
    results.push(r.ok ? 'ok' : r.error.code);
  }
  expect(results).toEqual(['ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  expect(await request(bob, 'dm-history', { contactId: 'unknown' })).toMatchObject({ ok: false, error: { code: 'CONTACT_NOT_FOUND' } });
  expect(await request(bob, 'contact-rename', { contactId: 'unknown', nickname: 'x' })).toMatchObject({ ok: false, error: { code: 'CONTACT_NOT_FOUND' } });
});

test('renaming changes only the owner’s nickname', async () => {
  const { alice, bob, aliceSees } = await befriend(fixture);
  expect(await request(alice, 'contact-rename', { contactId: aliceSees, nickname: '  Bob from the chess chat ' })).toEqual({ ok: true });
  expect((await contactsOf(alice))[0]).toMatchObject({ nickname: 'Bob from the chess chat' });
  expect((await contactsOf(bob))[0]!.nickname).toMatch(/^Stranger from /);
});

test.each([
  ['keep-in-touch', { extra: 1 }],
  ['contacts-list', { x: true }],
  ['contact-rename', { contactId: 'abc', nickname: '' }],
  ['contact-rename', { contactId: 'abc', nickname: 'x'.repeat(41) }],
  ['contact-remove', { contactId: 'has space' }],
  ['contact-block', {}],
  ['dm-send', { contactId: 'abc', text: 5 }],
  ['dm-history', { contactId: 'abc', limit: 101 }],
  ['dm-history', { contactId: 'abc', limit: 0 }],
  ['dm-read', { contactId: 'abc' }],
  ['dm-typing', { contactId: 'abc', isTyping: 'yes' }],
  ['settings', { appearOffline: 1 }],
  ['delete-identity', { confirm: true }],
])('%s with a bad payload gets INVALID_PAYLOAD', async (event, payload) => {
  const client = await connect(fixture.urls[0]!);
  expect(await request(client, event, payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
});

test('deleting an identity removes its contacts on both sides and its messages; its old token gets a fresh identity', async () => {
  const { alice, bob, aliceSees, bobSees } = await befriend(fixture);
  await request(alice, 'dm-send', { contactId: aliceSees, text: 'forget me' });
  await request(bob, 'settings', { appearOffline: true });
  const removed = next(alice, 'contact-removed');
  const closed = new Promise((resolve) => bob.once('disconnect', resolve));
  expect(await request(bob, 'delete-identity', {})).toEqual({ ok: true });
  expect(await removed).toEqual({ contactId: aliceSees });
  await closed;
  expect(await contactsOf(alice)).toEqual([]);
  const pool = fixture.nodes[0]!.server.postgres!.pool;
  expect((await pool.query('SELECT 1 FROM direct_messages WHERE text = $1', ['forget me'])).rows).toEqual([]);
  expect((await pool.query('SELECT 1 FROM contact_settings WHERE user_id = $1', [bob.session.userId])).rows).toEqual([]);

  const reborn = await connect(fixture.urls[1]!, { token: bob.session.token });
  expect(reborn.session.userId).not.toBe(bob.session.userId);
  expect(await contactsOf(reborn)).toEqual([]);
  expect(await request(reborn, 'dm-history', { contactId: bobSees })).toMatchObject({ ok: false, error: { code: 'CONTACT_NOT_FOUND' } });
  await eventually(async () => expect(await contactsOf(alice)).toEqual([] as Contact[]));
});

test('while PostgreSQL is down DMs are refused with UNAVAILABLE and the chat goes on; then DMs work again', async () => {
  const { alice, bob, aliceSees } = await befriend(fixture);
  await fixture.postgres.halt();
  try {
    expect(await request(alice, 'dm-send', { contactId: aliceSees, text: 'not now' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    // A token is still accepted at the handshake, and one-to-one chat needs only Redis.
    const moved = await connect(fixture.urls[1]!, { token: alice.session.token });
    expect(moved.session.userId).toBe(alice.session.userId);
    await chat(moved, await connect(fixture.urls[0]!));
    expect(await request(moved, 'send-message', { text: 'still chatting' })).toMatchObject({ ok: true });
  } finally {
    await fixture.postgres.restart();
  }
  await eventually(async () => {
    expect(await request(bob, 'contacts-list', {})).toMatchObject({ ok: true });
  }, 15_000);
}, 30_000);
