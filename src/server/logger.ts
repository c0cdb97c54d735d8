import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

/** Structured JSON logs; secrets in headers are redacted. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'koyalite' },
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.passwordHash'],
  });
}
