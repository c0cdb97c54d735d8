import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from './config.js';
import { resolveSecrets } from './secrets.js';

const ENV_SECRET = 'env-jwt-secret-'.padEnd(40, 'x');
const ENV_KEY = 'cd'.repeat(32);

let root: string;
let dataDir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'koyalite-secrets-'));
  dataDir = path.join(root, 'data', 'nested');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function config(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}, root), dataDir, ...overrides };
}

const secretsFile = () => path.join(dataDir, 'secrets.json');
const readStored = () => JSON.parse(readFileSync(secretsFile(), 'utf8')) as Record<string, unknown>;

describe('resolveSecrets', () => {
  it('generates secrets, persists them with mode 0600, and returns the same values on later calls', () => {
    const first = resolveSecrets(config());
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(Buffer.byteLength(first.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKey).toMatch(/^[0-9a-f]{64}$/);

    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    expect(readStored()).toEqual(first);
    // no temp file left behind by write-then-rename
    expect(readdirSync(dataDir)).toEqual(['secrets.json']);

    const before = readFileSync(secretsFile(), 'utf8');
    const second = resolveSecrets(config());
    const third = resolveSecrets(config());
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(readFileSync(secretsFile(), 'utf8')).toBe(before);
  });

  it('generates different secrets for different data dirs', () => {
    const a = resolveSecrets(config());
    const b = resolveSecrets(config({ dataDir: path.join(root, 'other') }));
    expect(b.jwtSecret).not.toBe(a.jwtSecret);
    expect(b.encryptionKey).not.toBe(a.encryptionKey);
  });

  it('generated secrets satisfy loadConfig validation when fed back as environment', () => {
    const s = resolveSecrets(config());
    expect(() => loadConfig({ KOYALITE_JWT_SECRET: s.jwtSecret, KOYALITE_ENCRYPTION_KEY: s.encryptionKey }, root)).not.toThrow();
  });

  it('uses env-provided secrets and writes nothing when both are given', () => {
    const s = resolveSecrets(config({ jwtSecret: ENV_SECRET, encryptionKey: ENV_KEY }));
    expect(s).toEqual({ jwtSecret: ENV_SECRET, encryptionKey: ENV_KEY });
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each<[string, Partial<Config>, 'jwtSecret' | 'encryptionKey']>([
    ['only the JWT secret is in the env', { jwtSecret: ENV_SECRET }, 'encryptionKey'],
    ['only the encryption key is in the env', { encryptionKey: ENV_KEY }, 'jwtSecret'],
  ])('when %s, persists only the generated one', (_label, overrides, generated) => {
    const s = resolveSecrets(config(overrides));
    const fromEnv = generated === 'jwtSecret' ? 'encryptionKey' : 'jwtSecret';
    expect(s[fromEnv]).toBe(overrides[fromEnv]);

    const raw = readFileSync(secretsFile(), 'utf8');
    expect(raw).not.toContain(overrides[fromEnv] as string);
    expect(readStored()).toEqual({ [generated]: s[generated] });
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);

    // stable: the generated half survives a second call
    expect(resolveSecrets(config(overrides))).toEqual(s);
  });

  it('env values override stored ones without overwriting the file with them', () => {
    const generated = resolveSecrets(config());
    const before = readFileSync(secretsFile(), 'utf8');

    const s = resolveSecrets(config({ jwtSecret: ENV_SECRET }));
    expect(s).toEqual({ jwtSecret: ENV_SECRET, encryptionKey: generated.encryptionKey });
    const after = readFileSync(secretsFile(), 'utf8');
    expect(after).toBe(before);
    expect(after).not.toContain(ENV_SECRET);
  });

  it('refuses to regenerate over a corrupt secrets file (that would invalidate tokens and encrypted data)', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(secretsFile(), '{not json');
    expect(() => resolveSecrets(config())).toThrow();
    expect(readFileSync(secretsFile(), 'utf8')).toBe('{not json');
  });
});
