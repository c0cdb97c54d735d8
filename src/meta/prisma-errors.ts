/**
 * Prisma's known errors, recognized structurally (code P2xxx) so callers need not import the
 * generated client. Used to turn constraint races into CONFLICT instead of INTERNAL.
 */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

export function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2003';
}

/** The Postgres SQLSTATE behind a failed raw statement (Prisma P2010 through a driver adapter). */
export function sqlState(err: unknown): string | undefined {
  const meta = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } }; code?: unknown } })?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  return typeof code === 'string' ? code : undefined;
}
