import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs in process (fresh PGlite per test file, or a fresh PostgreSQL
// database when PASSERELLE_TEST_DATABASE_URL is set); `e2e` starts the real gateway and subgraph
// processes once (test/global-setup.ts) and queries them over HTTP.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{packages,subgraphs,gateway,schema}/*/test/**/*.test.ts',
            '{gateway,schema}/test/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
