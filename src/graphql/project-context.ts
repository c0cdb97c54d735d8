import type { Database } from '../db/database.js';
import type { ColumnCipher } from '../lib/column-cipher.js';

/** Per-request context of a project endpoint. */
export interface ProjectContext {
  db: Database;
  /** role name the request runs as (admin, service, authenticated, anonymous, custom) */
  role: string;
  userId: string | null;
  /** encrypts and decrypts columns flagged `encrypted` */
  cipher: ColumnCipher;
}
