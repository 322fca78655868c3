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

test('only the canonical token string is accepted: no trailing characters, padding or other spellings', () => {
  const issuer = new IdentityIssuer('secret-one-secret-one');
  const { userId, token } = issuer.issue();
  const mac = token.slice(token.indexOf('.') + 1);
  // The 43rd character of a 32-byte base64url value carries two unused bits: a neighbour decodes to the same bytes.
  const last = mac.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
  const variants = [`${token}!!`, `${token}=`, `${token} `, `${token}.`, `${userId}.${mac.slice(0, -1)}${sibling}`, `${userId}.${mac.replaceAll('-', '+').replaceAll('_', '/')}`];
  // The last spelling equals the token when its signature holds neither '-' nor '_'.
  for (const variant of variants.filter((v) => v !== token)) {
    expect(issuer.verify(variant)).toBeNull();
    expect(issuer.resolve(variant).userId).not.toBe(userId);
  }
  expect(issuer.verify(token)).toBe(userId);
});
