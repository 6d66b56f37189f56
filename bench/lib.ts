import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');

/** Prints a result and appends it to bench/results.jsonl with date, commit and machine. */
export function record(name: string, results: Record<string, unknown>): void {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a git checkout */
  }
  const entry = {
    name,
    date: new Date().toISOString(),
    commit,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    results,
  };
  console.log(JSON.stringify(entry, null, 2));
  fs.appendFileSync(path.join(BENCH_DIR, 'results.jsonl'), `${JSON.stringify(entry)}\n`);
}

/** Resident memory (MiB) of a process and all its descendants, from /proc. */
export function treeRssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      /* process ended */
    }
  }
  let kib = 0;
  const visit = (pid: number) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return Math.round(kib / 1024);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitHealthy(url: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(25);
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}

/**
 * One of the app's modules as `npm start` runs it: the compiled build (made first when the sources
 * are newer). The sources through tsx run measurably slower on hot paths (esbuild's keepNames
 * wraps every function made at run time), so in-process benches load the build.
 */
export async function built<T>(rel: string): Promise<T> {
  execSync('node scripts/build-if-needed.mjs', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return (await import(pathToFileURL(path.join(ROOT, 'dist/server', rel)).href)) as T;
}
