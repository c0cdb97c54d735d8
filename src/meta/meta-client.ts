/**
 * The Prisma client over the shared database (PGlite instance or pg pool). meta/ is the only
 * folder that imports the generated client; everyone else goes through its functions.
 */
import type { Database } from '../db/database.js';
import { PrismaClient } from './generated/client.js';

export type MetaClient = InstanceType<typeof PrismaClient>;

export function createMetaClient(db: Database): MetaClient {
  return new PrismaClient({ adapter: db.prismaAdapter() as never });
}
