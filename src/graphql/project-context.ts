import type { Database, RequestFrame } from '../db/database.js';
import type { ChangeSource } from './change-source.js';
import type { ProjectIdentity } from './identity-schema.js';
import type { ColumnCipher } from '../lib/column-cipher.js';

/** Per-request context of a project endpoint. */
export interface ProjectContext {
  db: Database;
  /** role name the request runs as (admin, service, authenticated, anonymous, custom) */
  role: string;
  userId: string | null;
  /** encrypts and decrypts columns flagged `encrypted` */
  cipher: ColumnCipher;
  /** null: runs as the table owner (admin, service: row-level security bypassed by design) */
  frame: RequestFrame | null;
  identity: ProjectIdentity;
  /** row changes for subscriptions (absent where no change feed runs) */
  changes?: ChangeSource;
  /** for long-lived subscriptions: is the caller still who it was (same role and grants)? */
  stillValid?: () => Promise<boolean>;
}
