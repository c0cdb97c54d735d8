/**
 * The one database interface the rest of KoyaLite sees, for both engines (PGlite embedded,
 * PostgreSQL server). Everything speaks PostgreSQL; only connection handling differs.
 */
import type { Sql } from '../lib/sql.js';

export type Engine = 'pglite' | 'postgres';

export type Row = Record<string, unknown>;

/** Structural view of a Prisma driver adapter factory (PrismaPg / PrismaPGlite); meta/ passes it to PrismaClient. */
export interface PrismaAdapterFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
}

export interface Queryable {
  /** Runs one parameterized statement and returns its rows. */
  query<R = Row>(statement: Sql): Promise<R[]>;
  /** Runs a parameterless multi-statement script (migrations, DDL batches). */
  exec(script: Sql): Promise<void>;
}

/** A transaction held open across several awaits (a request's mutations); end it exactly once. */
export interface OpenTransaction extends Queryable {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The fields of a database error a caller may act on (SQLSTATE and the object it concerns). */
export interface DbErrorInfo {
  code: string;
  constraint?: string;
  column?: string;
  table?: string;
  detail?: string;
}

export function dbErrorInfo(err: unknown): DbErrorInfo | undefined {
  const e = err as { code?: unknown; constraint?: unknown; column?: unknown; table?: unknown; detail?: unknown };
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { code: e.code, constraint: str(e.constraint), column: str(e.column), table: str(e.table), detail: str(e.detail) };
}

/**
 * Who a request runs as in the database: the request role (koyalite_user) with the caller's
 * claims, for everything row-level security must see. Admin and service requests run as the
 * connection's own role (table owner) and bypass row-level security by design.
 */
export interface RequestFrame {
  /** JSON claims read by koyalite.auth_uid() / auth_role() / auth_claim() */
  claims: string;
}

/** The request role's name, created by migration 0002 (written literally in the frame statements). */
export const REQUEST_ROLE = 'koyalite_user';

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Begins a transaction that stays open until commit() or rollback(). */
  begin(): Promise<OpenTransaction>;
  /**
   * Runs fn with every statement as REQUEST_ROLE and the frame's claims. Never shares the role
   * or claims with another request: PostgreSQL uses connections of a separate pool whose frame
   * is set at every checkout; PGlite sets them transaction-locally.
   */
  withFrame<T>(frame: RequestFrame, fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; the returned function stops listening. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** The driver adapter Prisma uses, sharing this database's pool / PGlite instance. */
  prismaAdapter(): PrismaAdapterFactory;
  close(): Promise<void>;
}
