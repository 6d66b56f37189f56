import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The real `tinhso` command and server on a data dir, for tests that kill it. */
export const BIN = path.resolve('bin/tinhso.js');

/** Runs `tinhso ARGS --data-dir DIR` to the end, on the embedded database. */
export const tinhsoIn = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 120_000 });

/**
 * Runs `tinhso ARGS` to the end without blocking the event loop — for commands run beside a live server, where a
 * blocked loop would miss the server closing an idle keep-alive connection and the next fetch would reuse a dead socket.
 */
export function tinhsoAsync(args: string[], timeoutMs = 120_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' }, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Starts `tinhso start` on the port (with the MQTT broker only when given its port) and waits until /healthz answers. */
export async function startServer(dataDir: string, port: number, mqttPort?: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port), '--data-dir', dataDir], {
    stdio: 'ignore',
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', TINHSO_MQTT_PORT: mqttPort === undefined ? 'off' : String(mqttPort) },
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy');
}

/** `kill -9`, resolved when the process has exited. */
export const killed = (child: ChildProcess) => {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  return exited;
};

/** Kills the embedded PostgreSQL a killed server left behind on the data dir. */
export function killOrphanedPostgres(dataDir: string): void {
  const out = spawnSync('pgrep', ['-f', `postgres -D ${dataDir}/pg`], { encoding: 'utf8' }).stdout;
  for (const pid of out.split('\n').filter(Boolean).map(Number)) process.kill(pid, 'SIGKILL');
}
