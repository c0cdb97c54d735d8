/**
 * Environment → typed, validated Config. Every bad value yields one clear line; all lines are
 * reported together so an operator fixes them in one go.
 */
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** unset = embedded PGlite under dataDir/data */
  databaseUrl: string | undefined;
  dataDir: string;
  /** undefined in embedded mode until secrets are loaded from the data dir (see secrets.ts) */
  jwtSecret: string | undefined;
  encryptionKey: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  smtpUrl: string | undefined;
  storageUrl: string | undefined;
  logLevel: LogLevel;
  /** lifetime of issued tokens, seconds */
  tokenTtlSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  let port = 4000;
  const rawPort = str('PORT');
  if (rawPort !== undefined) {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port < 0 || port > 65535) {
      problems.push(`PORT must be an integer from 0 to 65535, got "${rawPort}"`);
    }
  }

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(databaseUrl);
      ok = u.protocol === 'postgres:' || u.protocol === 'postgresql:';
    } catch {
      ok = false;
    }
    if (!ok) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const dataDir = path.resolve(cwd, str('KOYALITE_DATA_DIR') ?? '.koyalite');

  const jwtSecret = str('KOYALITE_JWT_SECRET');
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    problems.push('KOYALITE_JWT_SECRET must be at least 32 bytes long');
  }
  const encryptionKey = str('KOYALITE_ENCRYPTION_KEY');
  if (encryptionKey !== undefined && !isKey32(encryptionKey)) {
    problems.push('KOYALITE_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64');
  }
  if (databaseUrl !== undefined) {
    if (jwtSecret === undefined) problems.push('KOYALITE_JWT_SECRET is required when DATABASE_URL is set (every instance must share it)');
    if (encryptionKey === undefined) problems.push('KOYALITE_ENCRYPTION_KEY is required when DATABASE_URL is set (every instance must share it)');
  }

  const adminEmail = str('KOYALITE_ADMIN_EMAIL');
  const adminPassword = env.KOYALITE_ADMIN_PASSWORD || undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push('KOYALITE_ADMIN_EMAIL and KOYALITE_ADMIN_PASSWORD must be set together');
  }
  if (adminEmail !== undefined && !EMAIL.test(adminEmail)) problems.push('KOYALITE_ADMIN_EMAIL is not an email address');
  if (adminPassword !== undefined && adminPassword.length < 8) problems.push('KOYALITE_ADMIN_PASSWORD must be at least 8 characters');

  const smtpUrl = str('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const storageUrl = str('KOYALITE_STORAGE_URL');
  if (storageUrl !== undefined && !/^(s3|file):\/\//.test(storageUrl)) problems.push('KOYALITE_STORAGE_URL must start with s3:// or file://');

  const rawLevel = (str('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(rawLevel as LogLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let tokenTtlSeconds = 12 * 3600;
  const rawTtl = str('KOYALITE_TOKEN_TTL');
  if (rawTtl !== undefined) {
    tokenTtlSeconds = Number(rawTtl);
    if (!/^\d+$/.test(rawTtl) || tokenTtlSeconds < 1) problems.push('KOYALITE_TOKEN_TTL must be a positive number of seconds');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: str('HOST') ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    jwtSecret,
    encryptionKey,
    adminEmail,
    adminPassword,
    smtpUrl,
    storageUrl,
    logLevel: rawLevel as LogLevel,
    tokenTtlSeconds,
  };
}

function isKey32(value: string): boolean {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return true;
  try {
    return Buffer.from(value, 'base64').length === 32;
  } catch {
    return false;
  }
}
