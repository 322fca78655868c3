/** The single-node default (memory stores, no Redis, no PostgreSQL) keeps in touch too. */
import type { DmEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, record, request } from '../helpers/clients';
import { chat, contactsOf } from '../helpers/contacts';
import { startNode, type RunningNode } from '../../testkit/nodes';

let node: RunningNode;

beforeAll(async () => {
  node = await startNode({ NODE_ID: 'solo', RESUME_GRACE_MS: '300' });
});
afterAll(async () => {
  disconnectAll();
  await node?.close();
});

test('contacts, DMs, offline delivery and presence work on one node in memory', async () => {
  const alice = await connect(node.url);
  const bob = await connect(node.url);
  await chat(alice, bob);
  await request(alice, 'keep-in-touch', {});
  const added = next<{ contact: { contactId: string } }>(alice, 'contact-added');
  expect(await request(bob, 'keep-in-touch', {})).toEqual({ ok: true, state: 'connected' });
  const aliceSees = (await added).contact.contactId;
  await request(alice, 'leave-room', {});

  const dm = next<DmEvent>(bob, 'dm');
  expect(await request(alice, 'dm-send', { contactId: aliceSees, text: 'live' })).toMatchObject({ ok: true });
  expect(await dm).toMatchObject({ text: 'live' });

  const presence = record<{ online: boolean; state: string }>(alice, 'contact-presence');
  const token = bob.session.token;
  bob.disconnect();
  await eventually(() =>
    expect(presence).toEqual([
      { contactId: aliceSees, online: false, state: 'away' },
      { contactId: aliceSees, online: false, state: 'offline' },
    ]),
  );
  await request(alice, 'dm-send', { contactId: aliceSees, text: 'while away' });
  const back = await connect(node.url, { token });
  await eventually(() => expect(presence.at(-1)).toEqual({ contactId: aliceSees, online: true, state: 'online' }));
  expect((await contactsOf(back))[0]).toMatchObject({ unread: 2, online: true, lastMessage: { text: 'while away' } });
});
