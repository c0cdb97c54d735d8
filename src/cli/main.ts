/**
 * koyalite CLI
 *   koyalite serve                 start the server (PORT, DATABASE_URL, … from the environment)
 *   koyalite migrate               bring the meta schema up to date and exit
 *   koyalite user create --email <e> --password <p> [--admin | --role <name>]
 */
import { printSchema } from 'graphql';
import { parseArgs } from 'node:util';
import { buildProjectSchema } from '../graphql/project-schema.js';
import { snapshotSource } from '../meta/snapshot-loader.js';
import { buildModel } from '../model/build-model.js';
import { insertUser } from '../admin/users-service.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { KoyaError } from '../lib/errors.js';
import { createMetaClient } from '../meta/meta-client.js';
import { startKoyaLite } from '../server/koyalite.js';
import { createLogger } from '../server/logger.js';

const USAGE = `usage:
  koyalite serve
  koyalite migrate
  koyalite user create --email <email> --password <password> [--admin | --role <name>]
  koyalite schema <slug>          print the project's GraphQL SDL`;

async function serve(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  const app = await startKoyaLite(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function withMeta<T>(config: Config, fn: (meta: ReturnType<typeof createMetaClient>) => Promise<T>): Promise<T> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const meta = createMetaClient(db);
    try {
      return await fn(meta);
    } finally {
      await meta.$disconnect().catch(() => {});
    }
  } finally {
    await db.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const db = await openDatabase(config);
      try {
        const result = await migrate(db);
        console.log(result.applied.length > 0 ? `applied: ${result.applied.join(', ')}` : 'meta schema is up to date');
      } finally {
        await db.close();
      }
      return;
    }
    case 'user': {
      if (sub !== 'create') break;
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, password: { type: 'string' }, admin: { type: 'boolean' }, role: { type: 'string' } },
      });
      if (!values.email || !values.password) break;
      const roleName = values.admin ? 'admin' : (values.role ?? 'authenticated');
      const user = await withMeta(config, (meta) =>
        insertUser(meta, { email: values.email!, password: values.password!, roleName }, { actorId: null, actorRole: 'cli' }),
      );
      console.log(`created user ${user.email} (${user.role.name}) with id ${user.id}`);
      return;
    }
    case 'schema': {
      if (!sub) break;
      const sdl = await withMeta(config, async (meta) => {
        const snapshot = await snapshotSource(meta).bySlug(sub);
        if (!snapshot) throw new KoyaError('NOT_FOUND', `project "${sub}" not found`);
        const model = buildModel(snapshot);
        for (const d of model.diagnostics) console.error(`warning: ${d.message}`);
        return printSchema(buildProjectSchema(model).schema);
      });
      console.log(sdl);
      return;
    }
    default:
      break;
  }
  console.error(USAGE);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else if (err instanceof KoyaError && err.expose) {
    console.error(`error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
