import { ProofOfWork } from '../../../src/moderation/proof-of-work';
import { MemoryStore } from '../../../src/store/memory/match-store';
import { solve } from '../../helpers/pow';

const SECRET = 'a-test-secret-of-enough-length';

const pow = (store = new MemoryStore(), secret = SECRET, difficulty = 200) =>
  new ProofOfWork({ difficulty, ttlMs: 60_000, secret }, store);

test('the difficulty is the challenge maxnumber; 0 is off', async () => {
  const on = pow(undefined, SECRET, 1234);
  expect(on.enabled).toBe(true);
  expect((await on.challenge(Date.now())).maxnumber).toBe(1234);
  expect(pow(undefined, SECRET, 0).enabled).toBe(false);
});

test('a solved challenge is accepted once, on any node sharing the store', async () => {
  const store = new MemoryStore();
  const a = pow(store);
  const b = pow(store);
  const payload = await solve(await a.challenge(Date.now()));
  expect(await b.verify(payload, Date.now())).toBe('ok');
  expect(await a.verify(payload, Date.now())).toBe('reused');
});

test('a missing, garbled, forged or wrongly solved payload is refused', async () => {
  const p = pow();
  expect(await p.verify(undefined, Date.now())).toBe('missing');
  expect(await p.verify('', Date.now())).toBe('missing');
  expect(await p.verify(42, Date.now())).toBe('invalid');
  expect(await p.verify('not base64 json', Date.now())).toBe('invalid');
  expect(await p.verify('x'.repeat(5000), Date.now())).toBe('invalid');
  expect(await p.verify(Buffer.from('null').toString('base64'), Date.now())).toBe('invalid');
  // Signed with another secret: another deployment's challenge.
  const foreign = await solve(await pow(new MemoryStore(), 'another-secret-of-enough-length').challenge(Date.now()));
  expect(await p.verify(foreign, Date.now())).toBe('invalid');
  const challenge = await p.challenge(Date.now());
  const solved = JSON.parse(Buffer.from(await solve(challenge), 'base64').toString()) as { number: number };
  const wrong = Buffer.from(JSON.stringify({ ...solved, number: solved.number + 1 })).toString('base64');
  expect(await p.verify(wrong, Date.now())).toBe('invalid');
});

test('an expired challenge is refused', async () => {
  const p = new ProofOfWork({ difficulty: 100, ttlMs: 10_000, secret: SECRET }, new MemoryStore());
  const payload = await solve(await p.challenge(Date.now() - 20_000));
  expect(await p.verify(payload, Date.now())).toBe('invalid');
});
