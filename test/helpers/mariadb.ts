import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './net.js';

const run = promisify(execFile);
const MARIADBD = process.env.MARIADBD_PATH ?? '/usr/sbin/mariadbd';

export interface TestMariaDb {
  host: string;
  port: number;
  /** A connection as root (empty password over TCP from 127.0.0.1), to set up the sector database. */
  admin(): Promise<mysql.Connection>;
  stop(): Promise<void>;
}

/**
 * A throw-away MariaDB server from Debian's mariadb-server package (the real engine a sector
 * system runs), in a temporary directory, on a free port; stopped and removed by `stop`.
 */
export async function startMariaDb(): Promise<TestMariaDb> {
  if (!fs.existsSync(MARIADBD)) throw new Error(`MariaDB is needed for this test: install Debian's mariadb-server (${MARIADBD} not found)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-mariadb-'));
  const data = path.join(dir, 'data');
  const root = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, ...root, '--auth-root-authentication-method=normal', '--skip-test-db'], {
    timeout: 60_000,
  });
  const port = await freePort();
  const server = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      ...root,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dir, 'sock')}`,
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=32M',
    ],
    { stdio: 'ignore' },
  );
  const admin = () => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '', multipleStatements: true });
  for (let i = 0; ; i++) {
    try {
      await (await admin()).end();
      break;
    } catch (e) {
      if (i > 150 || server.exitCode !== null) throw new Error(`MariaDB did not start: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host: '127.0.0.1',
    port,
    admin,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
