import type { Database } from '../db/database.js';

/** Per-request context of a project endpoint. */
export interface ProjectContext {
  db: Database;
  /** role name the request runs as (admin, service, authenticated, anonymous, custom) */
  role: string;
  userId: string | null;
}
