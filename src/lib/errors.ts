/**
 * KoyaLite's error hierarchy. Every error a client may see is a KoyaError with a stable code;
 * only `expose`d messages reach clients. Anything else becomes INTERNAL with a generic message.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export class KoyaError extends Error {
  readonly code: ErrorCode;
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { expose?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KoyaError';
    this.code = code;
    this.expose = options.expose ?? code !== 'INTERNAL';
    this.details = options.details;
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new KoyaError('BAD_USER_INPUT', message, { details });
export const notFound = (message: string) => new KoyaError('NOT_FOUND', message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new KoyaError('CONFLICT', message, { details });
export const forbidden = (message = 'not allowed') => new KoyaError('FORBIDDEN', message);
export const unauthenticated = (message = 'authentication required') => new KoyaError('UNAUTHENTICATED', message);
