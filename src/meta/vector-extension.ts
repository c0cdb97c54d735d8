/** Whether the database has pgvector: vector columns are then `vector(n)` with HNSW indexes, else `real[]`. */
import type { MetaTx } from './meta-client.js';

export async function hasVectorExtension(tx: MetaTx): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<Array<{ v: boolean }>>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS v");
  return rows[0]?.v === true;
}
