import { IdentityIssuer } from '../../src/realtime/identity';
import { toErrorBody } from '../../src/realtime/dispatch';

test('tokens verify only with the secret that signed them', () => {
  const issuer = new IdentityIssuer('secret-one-secret-one');
  const { userId, token } = issuer.issue();
  expect(issuer.verify(token)).toBe(userId);
  expect(new IdentityIssuer('secret-two-secret-two').verify(token)).toBeNull();
  expect(issuer.resolve(token)).toEqual({ userId, token, known: true });
  expect(issuer.resolve(undefined).known).toBe(false);
  expect(issuer.resolve(undefined).userId).not.toBe(userId);
});

test('while a secret is rotated, a token of the previous secret keeps its identity and is signed anew with the current one', () => {
  const before = new IdentityIssuer('secret-old-secret-old');
  const { userId, token: oldToken } = before.issue();
  const during = new IdentityIssuer('secret-new-secret-new', 'secret-old-secret-old');
  expect(during.verify(oldToken)).toBe(userId);
  const renewed = during.resolve(oldToken);
  expect(renewed).toMatchObject({ userId, known: true });
  expect(renewed.token).not.toBe(oldToken);
  // The new token is the current secret's: it outlives the previous secret, which no longer signs anything.
  const after = new IdentityIssuer('secret-new-secret-new');
  expect(after.verify(renewed.token)).toBe(userId);
  expect(after.verify(oldToken)).toBeNull();
  expect(before.verify(during.issue().token)).toBeNull();
  // A token of neither secret is a new identity.
  expect(during.resolve(new IdentityIssuer('secret-other-secret').issue().token).known).toBe(false);
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
