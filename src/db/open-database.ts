import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from './database.js';
import { openPglite } from './pglite-database.js';
import { openPostgres } from './pg-database.js';

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite persisted under <dataDir>/data. */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  return config.databaseUrl !== undefined
    ? openPostgres(config.databaseUrl)
    : openPglite(path.join(config.dataDir, 'data'));
}
