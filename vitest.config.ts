import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module). Node — and so yoga and Pothos — load the CJS
    // build; vite would pick the ESM one for our sources, giving two graphql-js instances in tests
    // (instanceof GraphQLError and schema checks fail across them). Pin one, as Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite starts in seconds and the machine has two cores: a few files at a time
    maxWorkers: 3,
  },
});
