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

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; the returned function stops listening. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** The driver adapter Prisma uses, sharing this database's pool / PGlite instance. */
  prismaAdapter(): PrismaAdapterFactory;
  close(): Promise<void>;
}
