/**
 * The change feed of one KoyaLite instance: one LISTEN on koyalite_changes (the trigger of every
 * project table NOTIFYs it at commit, migration 0006), fanned out to this instance's
 * subscribers of that table. Every instance listens, so subscribers on any instance behind a
 * load balancer see every change. A malformed payload is dropped and logged, never delivered.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { ChangeSource, RowChange } from '../graphql/change-source.js';

export const CHANGES_CHANNEL = 'koyalite_changes';

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
  private readonly listeners = new Map<string, Set<Listener>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(CHANGES_CHANNEL, (payload) => this.dispatch(payload));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    this.listeners.clear();
  }

  subscribe(schema: string, table: string, onChange: Listener): () => void {
    const key = `${schema}.${table}`;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(onChange);
    return () => {
      set.delete(onChange);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
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
    for (const listener of this.listeners.get(`${change.schema}.${change.table}`) ?? []) listener(change);
  }
}
