/**
 * Rotating SESSION_SECRET without logging anyone out: nodes with the new
 * secret and SESSION_SECRET_PREVIOUS=<old> take a token of the old secret as
 * the same identity (no proof of work: it is no new identity), hand the client
 * a token of the new secret in `session`, and that token keeps the identity,
 * with its contacts, once the previous secret is gone. A token of the old
 * secret alone is then a new identity.
 */
import type { Contact } from '../../src/protocol';
import { connect, disconnectAll, request } from '../helpers/clients';
import { keepInTouch } from '../helpers/contacts';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';

const OLD = 'the-old-session-secret-of-enough-length';
const NEW = 'the-new-session-secret-of-enough-length';

let postgres: PostgresServer;
const nodes: RunningNode[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  disconnectAll();
  await Promise.all(nodes.map((node) => node.close()));
  await postgres?.stop();
});

/** A single node on the shared database; each stage of the rotation is one. */
async function nodeWith(env: Record<string, string>): Promise<RunningNode> {
  const node = await startNode({ DATABASE_URL: postgres.url, MATCH_COOLDOWN_MS: '0', ...env });
  nodes.push(node);
  return node;
}

async function contactIds(url: string, token: string): Promise<{ userId: string; token: string; contacts: string[] }> {
  const client = await connect(url, { token });
  const ack = await request<{ contacts: Contact[] }>(client, 'contacts-list', {});
  if (!ack.ok) throw new Error(ack.error.code);
  client.disconnect();
  return { userId: client.session.userId, token: client.session.token, contacts: ack.contacts.map((c) => c.contactId) };
}

test('a token of the previous secret keeps its identity and contacts, and is exchanged for one of the new secret', async () => {
  // Before: two users keep in touch on a node with the old secret.
  const before = await nodeWith({ SESSION_SECRET: OLD });
  const alice = await connect(before.url);
  const bob = await connect(before.url);
  const { aSees: aliceSees } = await keepInTouch(alice, bob);
  disconnectAll();
  await before.close();

  // During: the new secret signs, the old one still verifies; new identities solve a proof of work.
  const during = await nodeWith({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD, POW_DIFFICULTY: '1000' });
  const renewed = await contactIds(during.url, alice.session.token);
  expect(renewed.userId).toBe(alice.session.userId);
  expect(renewed.token).not.toBe(alice.session.token);
  expect(renewed.contacts).toEqual([aliceSees]);
  // The renewed token connects as it is: the greeting repeats it.
  expect(await contactIds(during.url, renewed.token)).toEqual(renewed);
  // A client without a token is still a new identity there.
  await expect(connect(during.url)).rejects.toMatchObject({ data: { code: 'POW_REQUIRED' } });
  await during.close();

  // After: only the new secret. The exchanged token holds; a token of the old secret alone is a stranger.
  const after = await nodeWith({ SESSION_SECRET: NEW });
  expect(await contactIds(after.url, renewed.token)).toEqual(renewed);
  const stranger = await contactIds(after.url, alice.session.token);
  expect(stranger.userId).not.toBe(alice.session.userId);
  expect(stranger.contacts).toEqual([]);
}, 60_000);
