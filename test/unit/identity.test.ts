import { IdentityIssuer } from '../../src/realtime/identity';
import { toErrorBody } from '../../src/realtime/dispatch';

test('tokens verify only with the secret that signed them', () => {
  const issuer = new IdentityIssuer('secret-one-secret-one');
  const { userId, token } = issuer.issue();
  expect(issuer.verify(token)).toBe(userId);
  expect(new IdentityIssuer('secret-two-secret-two').verify(token)).toBeNull();
  expect(issuer.resolve(token)).toEqual({ userId, token });
  expect(issuer.resolve(undefined).userId).not.toBe(userId);
});

test('an unexpected failure reaches the client as INTERNAL without its message', () => {
  const body = toErrorBody(new Error('SELECT * FROM secrets failed at line 3'));
  expect(body.code).toBe('INTERNAL');
  expect(body.message).not.toMatch(/secrets/);
});
