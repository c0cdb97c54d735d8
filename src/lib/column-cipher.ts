/**
 * Encryption of columns flagged `encrypted`: AES-256-GCM with a random 96-bit IV per value.
 * Stored form (text): "v1:" + base64(iv ‖ tag ‖ ciphertext). The key is the instance's
 * KOYALITE_ENCRYPTION_KEY (generated and kept in the data dir in embedded mode).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KoyaError } from './errors.js';

const PREFIX = 'v1:';

export class ColumnCipher {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
    if (this.key.length !== 32) throw new Error('the encryption key must be 32 bytes');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(stored: string): string {
    if (!stored.startsWith(PREFIX)) throw new KoyaError('INTERNAL', 'an encrypted column holds a value that was not written by KoyaLite');
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new KoyaError('INTERNAL', 'an encrypted value could not be decrypted (wrong KOYALITE_ENCRYPTION_KEY?)');
    }
  }
}
