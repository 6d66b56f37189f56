import { defineConfig } from 'vitest/config';

const dbTests = ['test/**/*.test.ts'];
const external = process.env.TEST_DATABASE_URL
  ? [
      {
        test: {
          name: 'pg-external',
          include: dbTests,
          exclude: ['test/browser/**', 'test/cli/**', 'test/lint/**'],
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
          include: dbTests,
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
