// Generates the Prisma client (src/meta/generated) without network access.
// `prisma generate` only needs the schema parser (WASM), but the CLI still looks for a native
// schema engine and tries to download one; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
// file satisfies that check. Migrations never use the engine (see src/db/migrate.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
