import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { record, ROOT, sleep, treeRssMiB, waitHealthy } from './lib.js';

/** Start time (first and warm) and whole-app memory of `tinhso start --demo`, from the build. */
async function startOnce(dataDir: string, port: number): Promise<{ ms: number; child: ChildProcess }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tinhso.js'), 'start', '--demo', '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  await waitHealthy(`http://127.0.0.1:${port}`);
  return { ms: Math.round(performance.now() - t0), child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export async function run(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/server/cli/main.js'))) throw new Error('run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const port = 18080;
  try {
    const first = await startOnce(dataDir, port);
    await stop(first.child);
    const warm: number[] = [];
    let rss = 0;
    for (let i = 0; i < 3; i++) {
      const s = await startOnce(dataDir, port);
      warm.push(s.ms);
      await sleep(1500);
      rss = Math.max(rss, treeRssMiB(s.child.pid!));
      await stop(s.child);
    }
    warm.sort((a, b) => a - b);
    record('startup', { firstStartMs: first.ms, warmStartMs: warm, warmMedianMs: warm[1], wholeAppRssMiB: rss, budgets: { warmStartMs: 1500, rssMiB: 500 } });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
