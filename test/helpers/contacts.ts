/**
 * Two nodes on one Redis and one PostgreSQL for the contacts tests, and the
 * steps every such test starts from: a chat between two strangers on
 * different nodes, then both keeping in touch.
 */
import type { Contact, MatchedEvent } from '../../src/protocol';
import { connect, next, request, type Client } from './clients';
import { useDurableCluster } from './cluster-fixture';
import type { RunningNode } from '../../testkit/nodes';
import type { PostgresServer } from '../../testkit/postgres-server';
import type { RedisServer } from '../../testkit/redis-server';

export interface ContactsFixture {
  redis: RedisServer;
  postgres: PostgresServer;
  nodes: RunningNode[];
  urls: string[];
}

/** Short windows so the rules can be seen in a test. */
export const GRACE_MS = 1200;
export const OFFER_MS = 1500;

export function useContactsCluster(env: Record<string, string> = {}): ContactsFixture {
  return useDurableCluster({ RESUME_GRACE_MS: String(GRACE_MS), CONTACT_OFFER_MS: String(OFFER_MS), MATCH_COOLDOWN_MS: '0', ...env }, 2);
}

let topics = 0;

/** Pairs two clients (on the nodes given) through a topic no other test uses; returns the chat's room id. */
export async function chat(a: Client, b: Client): Promise<string> {
  const topic = `topic${process.pid}x${++topics}`;
  const matched = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
  expect(await request(a, 'find-match', { interests: [topic] })).toMatchObject({ ok: true });
  expect(await request(b, 'find-match', { interests: [topic] })).toMatchObject({ ok: true });
  const [ma] = await matched;
  return ma.roomId;
}

export interface Friends {
  alice: Client;
  bob: Client;
  /** Alice's id for Bob, and Bob's id for Alice. */
  aliceSees: string;
  bobSees: string;
}

/** Two clients chat and both keep in touch; resolves with each one's contact id for the other. The chat goes on. */
export async function keepInTouch(a: Client, b: Client): Promise<{ aSees: string; bSees: string }> {
  await chat(a, b);
  const added = Promise.all([next<{ contact: Contact }>(a, 'contact-added'), next<{ contact: Contact }>(b, 'contact-added')]);
  expect(await request(a, 'keep-in-touch', {})).toEqual({ ok: true, state: 'offered' });
  expect(await request(b, 'keep-in-touch', {})).toEqual({ ok: true, state: 'connected' });
  const [forA, forB] = await added;
  return { aSees: forA.contact.contactId, bSees: forB.contact.contactId };
}

/** Alice on node 1 and Bob on node 2 chat, both keep in touch, then the chat ends. */
export async function befriend(fixture: ContactsFixture): Promise<Friends> {
  const alice = await connect(fixture.urls[0]!);
  const bob = await connect(fixture.urls[1]!);
  const { aSees, bSees } = await keepInTouch(alice, bob);
  await request(alice, 'leave-room', {});
  return { alice, bob, aliceSees: aSees, bobSees: bSees };
}

export async function contactsOf(client: Client): Promise<Contact[]> {
  const r = await request<{ contacts: Contact[] }>(client, 'contacts-list', {});
  if (!r.ok) throw new Error(r.error.code);
  return r.contacts;
}
