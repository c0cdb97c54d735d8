/**
 * Every statement of a request runs in its frame: as the request role with the caller's claims
 * (row-level security applies), or as the owner for admin and service callers.
 */
import type { Database, RequestFrame, Row } from '../db/database.js';
import type { Sql } from '../lib/sql.js';

export function runStatement<R = Row>(db: Database, frame: RequestFrame | null, statement: Sql): Promise<R[]> {
  return frame ? db.withFrame(frame, (q) => q.query<R>(statement)) : db.query<R>(statement);
}
