/** Where row changes come from (realtime/change-feed.ts implements it over LISTEN/NOTIFY). */
import type { RowChange } from '../ir/ir.js';

export type { RowChange };

export interface ChangeSource {
  /** calls `onChange` for every committed change of `schema.table`; the returned function stops */
  subscribe(schema: string, table: string, onChange: (change: RowChange) => void): () => void;
  /** a change could not be answered: the subscription ends (completes) and this records why */
  failed(err: unknown): void;
}
