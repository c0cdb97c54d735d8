import { describe, expect, it } from 'vitest';
import { ColumnCipher } from './column-cipher.js';

describe('ColumnCipher', () => {
  const cipher = new ColumnCipher('ab'.repeat(32));

  it('round trips text, including unicode and the empty string', () => {
    for (const plain of ['secret', '', 'ünïcødé ✓', 'x'.repeat(10_000)]) expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
  });

  it('never stores the plaintext and uses a fresh IV each time', () => {
    const a = cipher.encrypt('same value');
    const b = cipher.encrypt('same value');
    expect(a).not.toBe(b);
    expect(a).not.toContain('same value');
    expect(a.startsWith('v1:')).toBe(true);
  });

  it('detects tampering and a wrong key', () => {
    const stored = cipher.encrypt('value');
    const raw = Buffer.from(stored.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`)).toThrow(/could not be decrypted/);
    expect(() => new ColumnCipher(Buffer.alloc(32, 7).toString('base64')).decrypt(stored)).toThrow(/could not be decrypted/);
    expect(() => cipher.decrypt('plain text')).toThrow(/not written by KoyaLite/);
  });

  it('accepts 32-byte keys as hex or base64 and refuses others', () => {
    expect(() => new ColumnCipher(Buffer.alloc(32, 1).toString('base64'))).not.toThrow();
    expect(() => new ColumnCipher('abcd')).toThrow(/32 bytes/);
  });
});
