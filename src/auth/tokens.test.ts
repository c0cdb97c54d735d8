import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { KoyaError } from '../lib/errors.js';
import { ADMIN_AUDIENCE, ISSUER, TokenService, bearerToken } from './tokens.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long';
const OTHER_SECRET = 'another-secret-that-is-at-least-32-bytes';
const TTL = 3600;
const KEY = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const service = new TokenService(SECRET, TTL);

/** A token with valid iss/aud/sub/role signed with SECRET; `patch` adjusts it before signing. */
function craft(patch: (jwt: SignJWT) => SignJWT = (j) => j, alg = 'HS256', key = KEY): Promise<string> {
  const base = new SignJWT({ role: 'member' })
    .setProtectedHeader({ alg })
    .setIssuer(ISSUER)
    .setAudience('shop')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(now() + 600);
  return patch(base).sign(key);
}

async function expectUnauthenticated(promise: Promise<unknown>, message?: string): Promise<void> {
  const err = await promise.then(
    () => {
      throw new Error('expected verify to reject');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KoyaError);
  expect(err).toMatchObject({ code: 'UNAUTHENTICATED' });
  if (message !== undefined) expect((err as Error).message).toBe(message);
}

describe('TokenService', () => {
  it.each([ADMIN_AUDIENCE, 'shop', 'my-shop'])('sign/verify round trip for audience %s', async (aud) => {
    const before = now();
    const token = await service.sign('user-42', 'editor', aud, { email: 'a@example.com', projectId: 'p1' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = await service.verify(token, aud);
    expect(claims).toMatchObject({ iss: ISSUER, aud, sub: 'user-42', role: 'editor', email: 'a@example.com', projectId: 'p1' });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp - (claims.iat as number)).toBe(TTL);
  });

  it('the configured TTL sets the expiry', async () => {
    const short = new TokenService(SECRET, 5);
    const claims = decodeJwt(await short.sign('u', 'r', 'shop'));
    expect(claims.exp! - claims.iat!).toBe(5);
  });

  it('extra claims cannot override the reserved ones', async () => {
    const token = await service.sign('user-1', 'member', 'shop', {
      role: 'admin',
      sub: 'someone-else',
      aud: ADMIN_AUDIENCE,
      iss: 'evil',
      exp: now() + 10 * 365 * 24 * 3600,
    });
    const claims = await service.verify(token, 'shop');
    expect(claims).toMatchObject({ sub: 'user-1', role: 'member', aud: 'shop', iss: ISSUER });
    expect(claims.exp).toBeLessThanOrEqual(now() + TTL);
    await expectUnauthenticated(service.verify(token, ADMIN_AUDIENCE));
  });

  it('accepts a hand-crafted token that meets every rule (sanity check for the rejections below)', async () => {
    await expect(service.verify(await craft(), 'shop')).resolves.toMatchObject({ sub: 'user-1', role: 'member' });
  });

  const rejections: Array<[string, () => Promise<string>, string]> = [
    ['wrong audience (project token on admin)', () => service.sign('u', 'r', 'shop'), ADMIN_AUDIENCE],
    ['wrong audience (admin token on a project)', () => service.sign('u', 'r', ADMIN_AUDIENCE), 'shop'],
    ['wrong audience (other project)', () => service.sign('u', 'r', 'blog'), 'shop'],
    ['wrong secret', () => new TokenService(OTHER_SECRET, TTL).sign('u', 'r', 'shop'), 'shop'],
    ['wrong issuer', () => craft((j) => j.setIssuer('someone-else')), 'shop'],
    ['missing issuer', () => new SignJWT({ role: 'r' }).setProtectedHeader({ alg: 'HS256' }).setAudience('shop').setSubject('u').setExpirationTime(now() + 60).sign(KEY), 'shop'],
    ['not yet valid (nbf in the future)', () => craft((j) => j.setNotBefore(now() + 3600)), 'shop'],
    ['HS512 with the same secret (algorithm not allowed)', () => craft((j) => j, 'HS512'), 'shop'],
    ['missing role claim', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience('shop').setSubject('u').setExpirationTime(now() + 60).sign(KEY), 'shop'],
    ['non-string role claim', () => new SignJWT({ role: 1 }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience('shop').setSubject('u').setExpirationTime(now() + 60).sign(KEY), 'shop'],
    ['missing subject', () => new SignJWT({ role: 'r' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience('shop').setExpirationTime(now() + 60).sign(KEY), 'shop'],
    [
      'alg none',
      async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: ISSUER, aud: 'shop', sub: 'u', role: 'admin', exp: now() + 600 })}.`,
      'shop',
    ],
    [
      'alg none with the valid signature of another token',
      async () => {
        const good = await craft();
        const [, payload, sig] = good.split('.');
        return `${b64url({ alg: 'none' })}.${payload}.${sig}`;
      },
      'shop',
    ],
    [
      'tampered payload (role escalated)',
      async () => {
        const [header, , sig] = (await craft()).split('.');
        return `${header}.${b64url({ iss: ISSUER, aud: 'shop', sub: 'user-1', role: 'admin', exp: now() + 600 })}.${sig}`;
      },
      'shop',
    ],
    ['signature stripped', async () => (await craft()).split('.').slice(0, 2).join('.') + '.', 'shop'],
    ['garbage', async () => 'not a token', 'shop'],
    ['empty string', async () => '', 'shop'],
    ['three dots of junk', async () => 'a.b.c', 'shop'],
    ['valid JSON segments, junk signature', async () => `${b64url({ alg: 'HS256' })}.${b64url({ sub: 'u' })}.xyz`, 'shop'],
  ];

  it.each(rejections)('rejects %s with UNAUTHENTICATED', async (_label, make, audience) => {
    await expectUnauthenticated(service.verify(await make(), audience), 'invalid token');
  });

  it('rejects an expired token with UNAUTHENTICATED "token expired"', async () => {
    const token = await craft((j) => j.setIssuedAt(now() - 7200).setExpirationTime(now() - 60));
    await expectUnauthenticated(service.verify(token, 'shop'), 'token expired');
  });

  it('rejects a token whose exp has just passed (no clock tolerance)', async () => {
    const token = await craft((j) => j.setExpirationTime(now() - 1));
    await expectUnauthenticated(service.verify(token, 'shop'), 'token expired');
  });
});

describe('bearerToken', () => {
  it.each<[string | null | undefined]>([[undefined], [null], ['']])('%j → undefined', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });

  it.each<[string, string]>([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer    abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer\tabc', 'abc'],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each(['abc', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearerabc', 'Token abc', 'Bearer: abc'])(
    'malformed %j → UNAUTHENTICATED',
    (header) => {
      let err: unknown;
      try {
        bearerToken(header);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KoyaError);
      expect(err).toMatchObject({ code: 'UNAUTHENTICATED' });
    },
  );
});
