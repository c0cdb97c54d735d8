/**
 * Embedded engine: one in-process PGlite (WASM Postgres, with pgvector) persisted in a
 * directory. PGlite is a single connection: statements and transactions are serialized by its
 * own mutex, so a transaction callback must only use the `tx` it is given.
 *
 * Crash safety: PGlite writes through to the data directory as Postgres commits (the OS keeps
 * the pages across a kill -9). A lock file prevents two processes from opening the same
 * directory, the one way to corrupt it.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { KoyaError } from '../lib/errors.js';
import { assertIdentifier, render, type Sql } from '../lib/sql.js';
import { type Database, type PrismaAdapterFactory, type Queryable, type Row } from './database.js';

interface PgliteLike {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  exec(text: string): Promise<unknown>;
}

function queryable(conn: PgliteLike): Queryable {
  return {
    async query<R = Row>(statement: Sql): Promise<R[]> {
      const { text, values } = render(statement);
      return (await conn.query<R>(text, values)).rows;
    },
    async exec(script: Sql): Promise<void> {
      const { text, values } = render(script);
      if (values.length > 0) throw new Error('exec() takes a script without parameters');
      await conn.exec(text);
    },
  };
}

export async function openPglite(dir: string | undefined): Promise<Database> {
  let lockFile: string | undefined;
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    lockFile = acquireLock(dir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dir ?? 'memory://', { extensions: { vector } });
    await pg.exec("CREATE EXTENSION IF NOT EXISTS vector; SET TIME ZONE 'UTC'");
  } catch (err) {
    if (lockFile) rmSync(lockFile, { force: true });
    throw err;
  }
  const base = queryable(pg);
  let adapter: PrismaAdapterFactory | undefined;
  return {
    engine: 'pglite',
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    // one connection, serialized: the frame lives in a transaction and ends with it
    withFrame: (frame, fn) =>
      pg.transaction(async (tx) => {
        await tx.query("SELECT set_config('role', 'koyalite_user', true), set_config('koyalite.claims', $1, true)", [frame.claims]);
        return fn(queryable(tx));
      }),
    begin() {
      // PGlite transactions are callback-scoped and hold its single connection: keep the
      // callback open until the caller commits (resolve) or rolls back (reject).
      return new Promise((resolveBegin, rejectBegin) => {
        let finish!: (commit: boolean) => void;
        const done = new Promise<boolean>((r) => (finish = r));
        const rolledBack = new Error('rollback');
        const outcome = pg
          .transaction(async (tx) => {
            resolveBegin({
              ...queryable(tx),
              async commit() {
                finish(true);
                await outcome;
              },
              async rollback() {
                finish(false);
                await outcome.catch(() => undefined);
              },
            });
            if (!(await done)) throw rolledBack;
          })
          .catch((err) => {
            if (err !== rolledBack) throw err;
          });
        outcome.catch(rejectBegin);
      });
    },
    async listen(channel, handler) {
      const unsubscribe = await pg.listen(assertIdentifier(channel), handler);
      return async () => unsubscribe();
    },
    async notify(channel, payload) {
      await pg.query('SELECT pg_notify($1, $2)', [assertIdentifier(channel), payload]);
    },
    prismaAdapter() {
      adapter ??= new PrismaPGlite(pg) as unknown as PrismaAdapterFactory;
      return adapter;
    },
    async close() {
      // close() runs a clean shutdown checkpoint, so the next start needs no recovery
      await pg.close();
      if (lockFile) rmSync(lockFile, { force: true });
    },
  };
}

/** A pid lock file: refuses to open a directory another live process holds. */
function acquireLock(dir: string): string {
  const file = path.join(dir, '..', `${path.basename(dir)}.lock`);
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new KoyaError('INTERNAL', `the embedded database at ${dir} is in use by process ${pid}`, { expose: true });
    }
  } catch (err) {
    if (err instanceof KoyaError) throw err;
  }
  writeFileSync(file, String(process.pid));
  return file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
