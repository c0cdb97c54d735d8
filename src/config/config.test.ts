import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const CWD = path.resolve('/srv/app');
const SECRET = 'x'.repeat(32);
const HEX_KEY = 'ab'.repeat(32);
const B64_KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, CWD);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw ConfigError');
}

describe('loadConfig defaults', () => {
  it('uses defaults for an empty environment', () => {
    const config = loadConfig({}, CWD);
    expect(config).toEqual({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: path.join(CWD, '.koyalite'),
      jwtSecret: undefined,
      encryptionKey: undefined,
      adminEmail: undefined,
      adminPassword: undefined,
      smtpUrl: undefined,
      storageUrl: undefined,
      logLevel: 'info',
      tokenTtlSeconds: 12 * 3600,
    });
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '  ', LOG_LEVEL: '', DATABASE_URL: ' ', KOYALITE_DATA_DIR: '' }, CWD);
    expect(config.port).toBe(4000);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.join(CWD, '.koyalite'));
  });

  it.each<[string, string]>([
    ['data', path.join(CWD, 'data')],
    ['./nested/dir', path.join(CWD, 'nested', 'dir')],
    ['/var/lib/koyalite', path.resolve('/var/lib/koyalite')],
  ])('resolves KOYALITE_DATA_DIR=%s against cwd to %s', (dir, expected) => {
    expect(loadConfig({ KOYALITE_DATA_DIR: dir }, CWD).dataDir).toBe(expected);
  });

  it('reads every valid value', () => {
    const config = loadConfig(
      {
        PORT: ' 8080 ',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgresql://u:p@db:5432/koya',
        KOYALITE_JWT_SECRET: SECRET,
        KOYALITE_ENCRYPTION_KEY: HEX_KEY,
        KOYALITE_ADMIN_EMAIL: 'ops@example.com',
        KOYALITE_ADMIN_PASSWORD: 'long enough',
        SMTP_URL: 'smtps://mail.example.com',
        KOYALITE_STORAGE_URL: 's3://bucket/prefix',
        LOG_LEVEL: 'DEBUG',
        KOYALITE_TOKEN_TTL: '600',
      },
      CWD,
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u:p@db:5432/koya',
      jwtSecret: SECRET,
      encryptionKey: HEX_KEY,
      adminEmail: 'ops@example.com',
      adminPassword: 'long enough',
      smtpUrl: 'smtps://mail.example.com',
      storageUrl: 's3://bucket/prefix',
      logLevel: 'debug',
      tokenTtlSeconds: 600,
    });
  });

  it.each(['0', '1', '65535'])('accepts PORT=%s', (port) => {
    expect(loadConfig({ PORT: port }, CWD).port).toBe(Number(port));
  });

  it.each([HEX_KEY, HEX_KEY.toUpperCase(), B64_KEY, Buffer.alloc(32, 250).toString('base64url')])(
    'accepts encryption key %s',
    (key) => {
      expect(loadConfig({ KOYALITE_ENCRYPTION_KEY: key }, CWD).encryptionKey).toBe(key);
    },
  );

  it.each(['postgres://localhost/db', 'postgresql://u@h:5433/d?sslmode=require'])('accepts DATABASE_URL %s', (url) => {
    const config = loadConfig({ DATABASE_URL: url, KOYALITE_JWT_SECRET: SECRET, KOYALITE_ENCRYPTION_KEY: B64_KEY }, CWD);
    expect(config.databaseUrl).toBe(url);
  });

  it('accepts file:// storage and smtp:// mail URLs', () => {
    const config = loadConfig({ KOYALITE_STORAGE_URL: 'file:///var/files', SMTP_URL: 'smtp://localhost:25' }, CWD);
    expect(config.storageUrl).toBe('file:///var/files');
    expect(config.smtpUrl).toBe('smtp://localhost:25');
  });
});

describe('loadConfig problems', () => {
  // each case is a single bad value on top of an otherwise valid environment → exactly one line
  const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['PORT not a number', { PORT: 'abc' }, /^PORT .*"abc"/],
    ['PORT negative', { PORT: '-1' }, /^PORT /],
    ['PORT too large', { PORT: '65536' }, /^PORT .*65535/],
    ['PORT fractional', { PORT: '80.5' }, /^PORT /],
    ['PORT hex', { PORT: '0x50' }, /^PORT /],
    [
      'DATABASE_URL mysql',
      { DATABASE_URL: 'mysql://u@h/db', KOYALITE_JWT_SECRET: SECRET, KOYALITE_ENCRYPTION_KEY: HEX_KEY },
      /^DATABASE_URL .*postgres/,
    ],
    [
      'DATABASE_URL not a URL',
      { DATABASE_URL: 'localhost:5432', KOYALITE_JWT_SECRET: SECRET, KOYALITE_ENCRYPTION_KEY: HEX_KEY },
      /^DATABASE_URL /,
    ],
    ['short JWT secret', { KOYALITE_JWT_SECRET: 'x'.repeat(31) }, /^KOYALITE_JWT_SECRET .*32 bytes/],
    ['encryption key too short', { KOYALITE_ENCRYPTION_KEY: 'ab'.repeat(16) }, /^KOYALITE_ENCRYPTION_KEY /],
    ['encryption key not hex nor base64 of 32 bytes', { KOYALITE_ENCRYPTION_KEY: 'not-a-key' }, /^KOYALITE_ENCRYPTION_KEY /],
    ['encryption key 64 non-hex chars', { KOYALITE_ENCRYPTION_KEY: 'z'.repeat(64) }, /^KOYALITE_ENCRYPTION_KEY /],
    ['admin email without password', { KOYALITE_ADMIN_EMAIL: 'ops@example.com' }, /KOYALITE_ADMIN_EMAIL and KOYALITE_ADMIN_PASSWORD/],
    ['admin password without email', { KOYALITE_ADMIN_PASSWORD: 'long enough' }, /KOYALITE_ADMIN_EMAIL and KOYALITE_ADMIN_PASSWORD/],
    ['admin email malformed', { KOYALITE_ADMIN_EMAIL: 'ops', KOYALITE_ADMIN_PASSWORD: 'long enough' }, /^KOYALITE_ADMIN_EMAIL .*email/],
    ['short admin password', { KOYALITE_ADMIN_EMAIL: 'ops@example.com', KOYALITE_ADMIN_PASSWORD: 'short' }, /^KOYALITE_ADMIN_PASSWORD .*8/],
    ['bad LOG_LEVEL', { LOG_LEVEL: 'verbose' }, /^LOG_LEVEL .*info/],
    ['bad SMTP_URL', { SMTP_URL: 'http://mail.example.com' }, /^SMTP_URL .*smtp:\/\//],
    ['bad storage URL', { KOYALITE_STORAGE_URL: 'gs://bucket' }, /^KOYALITE_STORAGE_URL .*s3:\/\//],
    ['bad token TTL', { KOYALITE_TOKEN_TTL: '0' }, /^KOYALITE_TOKEN_TTL /],
  ];

  it.each(cases)('%s → one clear line', (_label, env, pattern) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });

  it.each<[string, NodeJS.ProcessEnv, string[]]>([
    ['neither secret', { DATABASE_URL: 'postgres://h/db' }, ['KOYALITE_JWT_SECRET', 'KOYALITE_ENCRYPTION_KEY']],
    ['missing encryption key', { DATABASE_URL: 'postgres://h/db', KOYALITE_JWT_SECRET: SECRET }, ['KOYALITE_ENCRYPTION_KEY']],
    ['missing JWT secret', { DATABASE_URL: 'postgres://h/db', KOYALITE_ENCRYPTION_KEY: HEX_KEY }, ['KOYALITE_JWT_SECRET']],
  ])('DATABASE_URL requires shared secrets: %s', (_label, env, missing) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(missing.length);
    missing.forEach((name, i) => expect(problems[i]).toMatch(new RegExp(`^${name} is required when DATABASE_URL is set`)));
  });

  it('reports every problem together, and the error message lists each line', () => {
    const env: NodeJS.ProcessEnv = {
      PORT: 'abc',
      DATABASE_URL: 'mysql://h/db',
      KOYALITE_JWT_SECRET: 'short',
      KOYALITE_ENCRYPTION_KEY: 'nope',
      KOYALITE_ADMIN_EMAIL: 'ops@example.com',
      LOG_LEVEL: 'loud',
      SMTP_URL: 'mail.example.com',
      KOYALITE_STORAGE_URL: 'ftp://x',
    };
    let error: unknown;
    try {
      loadConfig(env, CWD);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    const prefixes = ['PORT', 'DATABASE_URL', 'KOYALITE_JWT_SECRET', 'KOYALITE_ENCRYPTION_KEY', 'KOYALITE_ADMIN_EMAIL and', 'LOG_LEVEL', 'SMTP_URL', 'KOYALITE_STORAGE_URL'];
    expect(problems).toHaveLength(prefixes.length);
    for (const prefix of prefixes) expect(problems.some((p) => p.startsWith(prefix))).toBe(true);
    for (const p of problems) {
      expect(p).not.toContain('\n');
      expect(message).toContain(`  - ${p}`);
    }
  });

  it('short admin password problem does not leak the password', () => {
    const problems = problemsOf({ KOYALITE_ADMIN_EMAIL: 'ops@example.com', KOYALITE_ADMIN_PASSWORD: 'hunter2' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('bad JWT secret and encryption key problems do not echo the values', () => {
    const problems = problemsOf({ KOYALITE_JWT_SECRET: 'supersecretvalue', KOYALITE_ENCRYPTION_KEY: 'anothersecret' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toMatch(/supersecretvalue|anothersecret/);
  });
});
