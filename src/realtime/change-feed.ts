/**
 * The change feed of one KoyaLite instance: one LISTEN on koyalite_changes (the trigger of every
 * project table NOTIFYs it at commit, migration 0006), fanned out to this instance's
 * subscribers of that table. Every instance listens, so subscribers on any instance behind a
 * load balancer see every change. A malformed payload is dropped and logged, never delivered.
 *
 * Tables notify only while someone listens (a NOTIFY serializes commits): the first subscriber
 * of a table on this instance takes a lease in koyalite.change_listeners, renewed every
 * RENEW_MS while subscribers remain and deleted with the last one; a crashed instance's leases
 * simply expire.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { ChangeSource, RowChange } from '../graphql/change-source.js';
import { sql, type Sql } from '../lib/sql.js';

export const CHANGES_CHANNEL = 'koyalite_changes';
const LEASE_SECONDS = 60;
const RENEW_MS = 20_000;

type Listener = (change: RowChange) => void;

function parse(payload: string): RowChange | undefined {
  try {
    const p = JSON.parse(payload) as { s?: unknown; t?: unknown; op?: unknown; id?: unknown; new?: unknown; old?: unknown };
    if (typeof p.s !== 'string' || typeof p.t !== 'string' || typeof p.id !== 'string') return undefined;
    if (p.op !== 'INSERT' && p.op !== 'UPDATE' && p.op !== 'DELETE') return undefined;
    const row = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
    return { schema: p.s, table: p.t, op: p.op, id: p.id, new: row(p.new), old: row(p.old) };
  } catch {
    return undefined;
  }
}

export class ChangeFeed implements ChangeSource {
  private readonly listeners = new Map<string, { schema: string; table: string; set: Set<Listener> }>();
  private unlisten: (() => Promise<void>) | undefined;
  private readonly instanceId = randomUUID();
  private renewal: NodeJS.Timeout | undefined;
  /** lease writes run one after another, in the order subscribers came and went */
  private leases: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(CHANGES_CHANNEL, (payload) => this.dispatch(payload));
    this.renewal = setInterval(() => {
      for (const { schema, table } of this.listeners.values()) this.lease(schema, table);
      // leases of instances that died are ignored once expired; an hour later they go
      this.write(sql`DELETE FROM koyalite.change_listeners WHERE expires_at < now() - interval '1 hour'`);
    }, RENEW_MS);
    this.renewal.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.renewal);
    await this.unlisten?.();
    this.unlisten = undefined;
    this.listeners.clear();
    this.write(sql`DELETE FROM koyalite.change_listeners WHERE instance_id = ${this.instanceId}::uuid`);
    await this.leases;
  }

  subscribe(schema: string, table: string, onChange: Listener): () => void {
    const key = `${schema}.${table}`;
    let entry = this.listeners.get(key);
    if (!entry) {
      this.listeners.set(key, (entry = { schema, table, set: new Set() }));
      this.lease(schema, table);
    }
    const { set } = entry;
    set.add(onChange);
    return () => {
      set.delete(onChange);
      if (set.size === 0 && this.listeners.get(key) === entry) {
        this.listeners.delete(key);
        this.write(sql`DELETE FROM koyalite.change_listeners WHERE instance_id = ${this.instanceId}::uuid AND schema_name = ${schema} AND table_name = ${table}`);
      }
    };
  }

  private lease(schema: string, table: string): void {
    this.write(sql`INSERT INTO koyalite.change_listeners (instance_id, schema_name, table_name, expires_at)
      VALUES (${this.instanceId}::uuid, ${schema}, ${table}, now() + make_interval(secs => ${LEASE_SECONDS}))
      ON CONFLICT (instance_id, schema_name, table_name) DO UPDATE SET expires_at = EXCLUDED.expires_at`);
  }

  private write(statement: Sql): void {
    this.leases = this.leases.then(async () => void (await this.db.query(statement))).catch((err) => this.log.error({ err }, 'change listener lease not written'));
  }

  failed(err: unknown): void {
    this.log.error({ err }, 'a subscription ended: a change could not be answered');
  }

  private dispatch(payload: string): void {
    const change = parse(payload);
    if (!change) {
      this.log.warn({ payload: payload.slice(0, 200) }, 'malformed change notification dropped');
      return;
    }
    for (const listener of this.listeners.get(`${change.schema}.${change.table}`)?.set ?? []) listener(change);
  }
}
