// Prisma CLI configuration. KoyaLite only uses the CLI for `prisma generate`; migrations are
// committed SQL applied by KoyaLite itself (see src/db/migrate.ts), because the CLI's native
// schema engine cannot be downloaded on air-gapped machines.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
});
