import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// One test run for the whole monorepo: unit tests beside the code, integration tests in each
// package's test/ folder, the process-level end-to-end test in e2e/.
export default defineConfig({
  resolve: {
    // Vite would pick graphql's ESM build for our code while yoga and Pothos (loaded by Node)
    // get the CommonJS one: two GraphQLError classes, and every expected error masked. One copy.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['{schema,prisma,apps/*,agent,plugins/*,e2e}/{src,test}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
