import { defineConfig } from 'vitest/config';

/**
 * Three projects. `unit`: code without a database. `pg-embedded`: the embedded PostgreSQL 18 that `npm start`
 * uses. `pg-external` (only when TEST_DATABASE_URL names a server, as in CI): that server, PostgreSQL 15.
 *
 * Without an external server every database test runs on the embedded one. With one, the suite is split so
 * that no file runs twice for nothing: the external server takes the database tests, and the embedded one
 * keeps what only it can do (the real `tinhso` command and server in test/cli, the browser tests against
 * them) plus the files whose SQL depends on the engine's version (ENGINE_SENSITIVE), which run on both.
 */
const dbTests = ['test/**/*.test.ts'];
const ONLY_EMBEDDED = ['test/browser/**/*.test.ts', 'test/cli/**/*.test.ts'];
const ENGINE_SENSITIVE = ['test/datastore/**/*.test.ts', 'test/sensors/sensorthings.test.ts', 'test/sensors/geo.test.ts', 'test/platform/migrations.test.ts'];
const externalUrl = process.env.TEST_DATABASE_URL;

const external = externalUrl
  ? [
      {
        test: {
          name: 'pg-external',
          include: dbTests,
          exclude: [...ONLY_EMBEDDED, 'test/lint/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          env: { TINHSO_TEST_ENGINE: 'external' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ]
  : [];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/lint/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'pg-embedded',
          include: externalUrl ? [...ONLY_EMBEDDED, ...ENGINE_SENSITIVE] : dbTests,
          exclude: ['test/lint/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          env: { TINHSO_TEST_ENGINE: 'embedded' },
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      ...external,
    ],
  },
});
