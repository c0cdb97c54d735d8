/**
 * Server engine: node-postgres pool against PostgreSQL 15+. LISTEN uses one dedicated
 * connection that reconnects and re-subscribes after a failure.
 */
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { assertIdentifier, ident, render, sql, type Sql } from '../lib/sql.js';
import { dbErrorInfo, type Database, type PrismaAdapterFactory, type Queryable, type Row } from './database.js';

/**
 * Statements with parameters run as named prepared statements (name = hash of the text): each
 * connection parses and plans a statement once, then only binds values. Compiled GraphQL
 * operations keep their text stable across requests (values are always parameters), so the
 * hot path skips parsing and, once Postgres settles on a generic plan, planning.
 */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `k${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size > 5000) names.clear();
    names.set(text, name);
  }
  return name;
}

// int8 and numeric arrive as strings by default; keep them exact (callers convert knowingly).
function queryable(conn: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R = Row>(statement: Sql): Promise<R[]> {
      const { text, values, unprepared } = render(statement);
      const config = values.length > 0 && !unprepared ? { name: statementName(text), text, values } : { text, values };
      return (await conn.query(config)).rows as R[];
    },
    async exec(script: Sql): Promise<void> {
      const { text, values } = render(script);
      if (values.length > 0) throw new Error('exec() takes a script without parameters');
      await conn.query(text);
    },
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  // UTC sessions: timestamps render the same ("+00:00") whatever the server's time zone
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c TimeZone=UTC' });
  // an idle client that errors (server restart) must not crash the process
  pool.on('error', () => {});
  // fail fast on a wrong URL, with the driver's message (no secrets: it never echoes the password)
  await pool.query('SELECT 1');
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | undefined;
  let closing = false;

  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (msg) => {
      for (const h of listeners.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    client.on('error', () => {
      listener = undefined;
      if (!closing) void reconnect();
    });
    await client.connect();
    for (const channel of listeners.keys()) await client.query(render(sql`LISTEN ${ident(channel)}`).text);
    return client;
  }
  async function reconnect(): Promise<void> {
    for (let delay = 100; !closing && listener === undefined; delay = Math.min(delay * 2, 5000)) {
      try {
        listener = await connectListener();
      } catch {
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  // Requests framed as REQUEST_ROLE use their own pool: every checkout sets role and claims
  // (session-level, one statement) before anything runs, so a connection never carries a previous
  // request's frame into the next, and the owner pool (admin, Prisma) is never switched.
  const framed = new pg.Pool({ connectionString: url, max: poolSize, options: '-c TimeZone=UTC' });
  framed.on('error', () => {});
  const FRAME = "SELECT set_config('role', 'koyalite_user', false), set_config('koyalite.claims', $1, false)";

  let adapter: PrismaAdapterFactory | undefined;
  return {
    engine: 'postgres',
    async withFrame(frame, fn) {
      const client = await framed.connect();
      let broken: Error | undefined;
      try {
        await client.query({ name: 'koyalite_frame', text: FRAME, values: [frame.claims] });
        return await fn(queryable(client));
      } catch (err) {
        // a failed statement leaves the session usable, but a failed frame must not be reused
        if (!(err instanceof Error) || dbErrorInfo(err) === undefined) broken = err as Error;
        throw err;
      } finally {
        client.release(broken);
      }
    },
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async begin() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
      } catch (err) {
        client.release();
        throw err;
      }
      let ended = false;
      const end = async (command: 'COMMIT' | 'ROLLBACK') => {
        if (ended) return;
        ended = true;
        try {
          await client.query(command);
          client.release();
        } catch (err) {
          // a connection that failed to end its transaction is not reused
          client.release(err as Error);
          if (command === 'COMMIT') throw err;
        }
      };
      return { ...queryable(client), commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
    },
    async listen(channel, handler) {
      assertIdentifier(channel);
      listener ??= await connectListener();
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await listener.query(render(sql`LISTEN ${ident(channel)}`).text);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await listener?.query(render(sql`UNLISTEN ${ident(channel)}`).text).catch(() => {});
        }
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [assertIdentifier(channel), payload]);
    },
    prismaAdapter() {
      adapter ??= new PrismaPg(pool) as unknown as PrismaAdapterFactory;
      return adapter;
    },
    async close() {
      closing = true;
      await listener?.end().catch(() => {});
      await framed.end();
      await pool.end();
    },
  };
}
