/**
 * Secrets for embedded mode: when KOYALITE_JWT_SECRET / KOYALITE_ENCRYPTION_KEY are unset, they
 * are generated once and kept in <dataDir>/secrets.json (mode 0600), so tokens and encrypted
 * columns survive restarts. Server mode requires them in the environment (config.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

export interface Secrets {
  jwtSecret: string;
  encryptionKey: string;
}

export function resolveSecrets(config: Config): Secrets {
  if (config.jwtSecret !== undefined && config.encryptionKey !== undefined) {
    return { jwtSecret: config.jwtSecret, encryptionKey: config.encryptionKey };
  }
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secrets: Secrets = {
    jwtSecret: config.jwtSecret ?? stored.jwtSecret ?? randomBytes(48).toString('base64url'),
    encryptionKey: config.encryptionKey ?? stored.encryptionKey ?? randomBytes(32).toString('hex'),
  };
  // only generated values are persisted; secrets given in the environment never hit the disk
  const toStore = {
    jwtSecret: config.jwtSecret === undefined ? secrets.jwtSecret : stored.jwtSecret,
    encryptionKey: config.encryptionKey === undefined ? secrets.encryptionKey : stored.encryptionKey,
  };
  if (stored.jwtSecret !== toStore.jwtSecret || stored.encryptionKey !== toStore.encryptionKey) {
    mkdirSync(config.dataDir, { recursive: true });
    // write-then-rename: a crash never leaves a half-written secrets file
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(toStore, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return secrets;
}
