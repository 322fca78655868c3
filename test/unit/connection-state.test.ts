/** A connection's state: its typing relays and budgets are made on first use, and closing clears what it shows. */
import type { Services } from '../../src/realtime/context';
import { ConnectionState } from '../../src/realtime/connection-state';
import type { ParleySocket } from '../../src/realtime/types';

function state() {
  const told: string[] = [];
  const services = {
    config: { typingTimeoutMs: 5000, typingCoalesceMs: 0, nodeId: 'n1' },
    io: {
      to: (channel: string) => ({ emit: (event: string, body: unknown) => void told.push(`${channel} ${event} ${JSON.stringify(body)}`) }),
      // The partner's connection `s4` is on this node.
      of: () => ({ sockets: new Map([['s4', { emit: (event: string, body: unknown) => void told.push(`socket s4 ${event} ${JSON.stringify(body)}`) }]]) }),
    },
    rooms: { typing: async (userId: string, code: string, on: boolean) => void told.push(`room ${userId} ${code} ${on}`) },
    dms: { typing: async (userId: string, contactId: string, on: boolean) => void told.push(`dm ${userId} ${contactId} ${on}`) },
    limits: {},
  } as unknown as Services;
  return { state: new ConnectionState('u1', {} as ParleySocket, services), told };
}

test('an idle connection that closes tells no one anything', () => {
  const { state: idle, told } = state();
  idle.closed();
  expect(told).toEqual([]);
});

test('each helper is made once, on first use, and kept', () => {
  const { state: s } = state();
  expect(s.roomTyping).toBe(s.roomTyping);
  expect(s.dmTyping).toBe(s.dmTyping);
  expect(s.dmTyping).not.toBe(s.roomTyping);
  expect(s.typing).toBe(s.typing);
  expect(s.budgets).toBe(s.budgets);
  expect(s.refusals).toBe(s.refusals);
});

test('closing clears every indicator the connection shows: in a room, to a contact and to the partner', async () => {
  const { state: s, told } = state();
  await s.roomTyping.set('lobby', true);
  await s.dmTyping.set('u2', true);
  await s.typing.set('u3', true);
  told.splice(0);
  s.closed();
  await new Promise((resolve) => setImmediate(resolve));
  expect(told.sort()).toEqual(['dm u1 u2 false', 'room u1 lobby false', 'user:u3 partner-typing {"isTyping":false}'].sort());
});

test('typing goes straight to a partner connected to this node, through the user channel otherwise', async () => {
  const { state: s, told } = state();
  await s.typing.set('u4', true, { node: 'n1', sid: 's4' });
  await s.typing.set('u4', false, { node: 'n2', sid: 's9' });
  s.typing.reset();
  // A socket this node no longer has: through the channel.
  await s.typing.set('u5', true, { node: 'n1', sid: 'gone' });
  expect(told).toEqual([
    'socket s4 partner-typing {"isTyping":true}',
    'user:u4 partner-typing {"isTyping":false}',
    'user:u5 partner-typing {"isTyping":true}',
  ]);
});
