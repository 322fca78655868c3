/** An identity ban marks the banned identity's last address for BAN_ADDRESS_MARK_MS, or the ban's length if shorter. */
import { Enforcement } from '../../../src/moderation/enforcement';
import { MemoryModerationStore } from '../../../src/store/memory/moderation-store';
import type { BanRecord } from '../../../src/store/moderation-store';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;
const ban = (id: string, extra: Partial<BanRecord>): BanRecord => ({
  id,
  kind: 'identity',
  subject: `user-${id}`,
  until: null,
  reason: 'spam',
  reportId: null,
  createdAt: T0,
  liftedAt: null,
  addressHash: 'net-1',
  ...extra,
});

function setup(markMs: number) {
  let now = T0;
  const store = new MemoryModerationStore();
  const enforcer = { removeUser: async () => undefined, removeAddress: async () => undefined };
  const enforcement = new Enforcement(store, { now: () => now }, enforcer, { markMs });
  return { store, enforcement, at: (t: number) => (now = T0 + t) };
}

test('a ban without end marks the address for BAN_ADDRESS_MARK_MS; a shorter ban for its own length; an address ban marks nothing', async () => {
  const { store, enforcement, at } = setup(24 * HOUR);
  await store.addBan(ban('forever', {}));
  await store.addBan(ban('short', { addressHash: 'net-2', until: T0 + HOUR }));
  await store.addBan(ban('ip', { kind: 'ip', subject: 'net-3', addressHash: null }));
  await enforcement.refresh();
  expect(enforcement.markedUntil('net-1')).toBe(T0 + 24 * HOUR);
  expect(enforcement.markedUntil('net-2')).toBe(T0 + HOUR);
  expect(enforcement.markedUntil('net-3')).toBeNull();
  at(2 * HOUR);
  expect(enforcement.markedUntil('net-2')).toBeNull();
  at(24 * HOUR);
  expect(enforcement.markedUntil('net-1')).toBeNull();
});

test('lifting the ban lifts the mark; BAN_ADDRESS_MARK_MS=0 marks nothing', async () => {
  const { store, enforcement } = setup(HOUR);
  await enforcement.noteBan(ban('b', {}));
  expect(enforcement.markedUntil('net-1')).toBe(T0 + HOUR);
  await store.addBan(ban('b', {}));
  await store.liftBan('b', T0);
  await enforcement.refresh();
  expect(enforcement.markedUntil('net-1')).toBeNull();

  const off = setup(0);
  await off.enforcement.noteBan(ban('c', {}));
  expect(off.enforcement.markedUntil('net-1')).toBeNull();
});
