import { defineConfig } from 'vitest/config';

const integration = ['server/**/*.routes.test.ts', 'server/**/*.int.test.ts'];
const withPostgres = !!process.env.TEST_DATABASE_URL;
// the read-replica test needs a streaming replica of that PostgreSQL (.ci/run makes one on 5433)
const withReplica = withPostgres && !!process.env.TEST_REPLICA_URL;
// The operational drills (kill -9, SIGTERM under load, backup/restore, two instances on one PostgreSQL)
// start real server processes and take minutes: they run when KW_SLOW_TESTS=1 (CI sets it).
const withOps = process.env.KW_SLOW_TESTS === '1';

// Domain tests run once; route/integration tests run on PGlite always and on PostgreSQL too when
// TEST_DATABASE_URL is set (CI sets it); the browser journeys run against a real server and Chromium.
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['server/**/*.domain.test.ts', 'server/**/*.unit.test.ts'] } },
      {
        test: {
          name: 'pglite',
          include: [...integration, 'server/demo/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          env: { KW_TEST_DB: 'pglite', KW_CHECK_SERIALIZER: '1' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      ...(withPostgres
        ? [
            {
              test: {
                name: 'postgres',
                include: [...integration, ...(withReplica ? ['server/**/*.replica.test.ts'] : [])],
                globalSetup: ['server/test/global-setup.ts'],
                env: { KW_TEST_DB: 'postgres', KW_CHECK_SERIALIZER: '1' },
                testTimeout: 60_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      ...(withOps
        ? [{ test: { name: 'ops', include: ['ops/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 300_000, fileParallelism: false } }]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // the real servers the journeys start write every answer with zod too and compare (platform/serializer.ts)
          env: { KW_CHECK_SERIALIZER: '1' },
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
