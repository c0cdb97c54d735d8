/**
 * The Prisma client over the shared database (PGlite instance or pg pool). meta/ is the only
 * folder that imports the generated client; everyone else goes through its functions and types.
 */
import { render, type Sql } from '../lib/sql.js';
import { PrismaClient } from './generated/client.js';

export type MetaClient = InstanceType<typeof PrismaClient>;
/** The client handed to an interactive transaction callback. */
export type MetaTx = Omit<MetaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** Whatever hands out the Prisma driver adapter of the shared database (db/'s Database does). */
export interface AdapterSource {
  prismaAdapter(): unknown;
}

export function createMetaClient(db: AdapterSource): MetaClient {
  return new PrismaClient({ adapter: db.prismaAdapter() as never });
}

/** Runs a statement from the sql tag inside a Prisma transaction (DDL that must commit with metadata). */
export async function execInTx(tx: MetaTx, statement: Sql): Promise<void> {
  const { text, values } = render(statement);
  await tx.$executeRawUnsafe(text, ...values);
}

export type { Prisma } from './generated/client.js';
export { PermissionAction } from './generated/enums.js';
