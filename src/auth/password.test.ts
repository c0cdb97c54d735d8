import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';

describe('hashPassword / verifyPassword', () => {
  it.each([
    ['ascii', 'correct horse battery staple'],
    ['short', 'pw'],
    ['unicode', 'pässwörd-密码-🔑'],
    ['contains the $ separator', 'a$b$c$d$e$f'],
    ['empty', ''],
  ])('round trips a %s password and rejects a wrong one', async (_label, password) => {
    const stored = await hashPassword(password);
    await expect(verifyPassword(password, stored)).resolves.toBe(true);
    await expect(verifyPassword(`${password}x`, stored)).resolves.toBe(false);
    await expect(verifyPassword(password.toUpperCase() === password ? `X${password}` : password.toUpperCase(), stored)).resolves.toBe(false);
  });

  it('stores scheme, parameters, salt and hash', async () => {
    const stored = await hashPassword('secret');
    const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(64);
    expect(rest).toEqual([]);
    expect(stored).not.toContain('secret');
  });

  it('two hashes of the same password differ (random salt) and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    await expect(verifyPassword('same password', a)).resolves.toBe(true);
    await expect(verifyPassword('same password', b)).resolves.toBe(true);
  });

  it('normalizes to NFKC so equivalent spellings verify', async () => {
    const stored = await hashPassword('caf\u00e9'); // precomposed é
    await expect(verifyPassword('cafe\u0301', stored)).resolves.toBe(true); // e + combining acute
  });

  it('dummyPasswordHash is a real, reused hash that no guess verifies', async () => {
    const [a, b] = await Promise.all([dummyPasswordHash(), dummyPasswordHash()]);
    expect(a).toBe(b);
    expect(a.startsWith('scrypt$16384$8$1$')).toBe(true);
    await expect(verifyPassword('', a)).resolves.toBe(false);
    await expect(verifyPassword('password', a)).resolves.toBe(false);
  });

  describe('malformed stored hashes verify as false (never throw, never true)', () => {
    const salt = Buffer.from('0123456789abcdef').toString('base64');
    const hash = Buffer.alloc(64, 1).toString('base64');
    const cases: Array<[string, string]> = [
      ['empty', ''],
      ['garbage', 'garbage'],
      ['bcrypt hash', '$2b$10$abcdefghijklmnopqrstuuJ1nQ0r0S2bq6fVZlQ4bM6v2QwzX0mG6'],
      ['wrong scheme', `argon2$16384$8$1$${salt}$${hash}`],
      ['missing hash', `scrypt$16384$8$1$${salt}`],
      ['empty salt', `scrypt$16384$8$1$$${hash}`],
      ['empty hash', `scrypt$16384$8$1$${salt}$`],
      ['hash that decodes to nothing', `scrypt$16384$8$1$${salt}$!!!`],
      ['non-numeric N', `scrypt$abc$8$1$${salt}$${hash}`],
      ['N not a power of two', `scrypt$1000$8$1$${salt}$${hash}`],
      ['N over the memory limit', `scrypt$1073741824$8$1$${salt}$${hash}`],
      ['missing r and p', `scrypt$16384$$$${salt}$${hash}`],
      ['hash of 15 bytes', `scrypt$16384$8$1$${salt}$${Buffer.alloc(15, 1).toString('base64')}`],
    ];

    it.each(cases)('%s', async (_label, stored) => {
      await expect(verifyPassword('pw', stored)).resolves.toBe(false);
      await expect(verifyPassword('', stored)).resolves.toBe(false);
    });

    it.each([1, 8, 15])('a real hash truncated to %i bytes no longer verifies even the right password', async (bytes) => {
      const parts = (await hashPassword('pw')).split('$');
      const short = Buffer.from(parts[5]!, 'base64').subarray(0, bytes).toString('base64');
      const stored = [...parts.slice(0, 5), short].join('$');
      await expect(verifyPassword('pw', stored)).resolves.toBe(false);
    });
  });
});
