import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `tinhso` command in child processes, on its own data dir and embedded PostgreSQL. */
const BIN = path.resolve('bin/tinhso.js');
let dataDir: string;

const tinhso = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

function postgresPids(): number[] {
  const out = spawnSync('pgrep', ['-f', `postgres -D ${dataDir}/pg`], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port), '--data-dir', dataDir], {
    stdio: 'ignore',
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', TINHSO_MQTT_PORT: 'off' },
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

const stop = async (child: ChildProcess, signal: NodeJS.Signals) => {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill(signal);
  return exited;
};

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-cli-'));
  fs.chmodSync(dataDir, 0o755);
});
afterAll(() => {
  for (const pid of postgresPids()) process.kill(pid, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Each test starts real tinhso processes (and embedded PostgreSQL servers): slow by nature, more so on a loaded CI machine.
describe('tinhso CLI', { timeout: 120_000 }, () => {
  it('works with no server running: user, token (last line), audit verify', () => {
    const u = tinhso(
      'user',
      'create',
      '--email',
      'Lan@Example.org',
      '--password',
      'mat-khau-rat-dai',
      '--name',
      'Trần Thị Lan',
      '--org',
      'so-khcn',
      '--role',
      'editor',
    );
    expect(u.code, u.err).toBe(0);
    expect(u.out).toContain('lan@example.org');
    const t = tinhso('token', 'create', '--email', 'lan@example.org', '--expires', '90d');
    expect(t.code, t.err).toBe(0);
    expect(t.out.trim().split('\n').pop()).toMatch(/^tsk_[A-Za-z0-9_-]{40,}$/);
    const v = tinhso('audit', 'verify');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/intact: \d+ records/);
    expect(postgresPids()).toEqual([]);
  });

  it('explains bad input and exits non-zero', () => {
    const r = tinhso('user', 'create', '--email', 'not-an-email', '--password', 'mat-khau-rat-dai', '--name', 'X');
    expect(r.code).toBe(1);
    expect(r.err).toContain('email');
    const role = tinhso('user', 'create', '--email', 'a@b.vn', '--password', 'mat-khau-rat-dai', '--name', 'X', '--org', 'so-khcn', '--role', 'boss');
    expect(role.code).toBe(2);
  });

  it('uses the running server database, and SIGTERM leaves no process behind', async () => {
    const server = await startServer(18471);
    try {
      const u = tinhso('user', 'create', '--email', 'hoa@example.org', '--password', 'mat-khau-rat-dai', '--name', 'Hoa', '--sysadmin');
      expect(u.code, u.err).toBe(0);
      const token = tinhso('token', 'create', '--email', 'hoa@example.org').out.trim().split('\n').pop()!;
      const me = await (await fetch('http://127.0.0.1:18471/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } })).json();
      expect(me.user.email).toBe('hoa@example.org');
      expect(me.user.isSysadmin).toBe(true);
      const users = await (await fetch('http://127.0.0.1:18471/api/v1/users', { headers: { authorization: token } })).json();
      expect(users.items.map((x: { email: string }) => x.email)).toContain('lan@example.org');
    } finally {
      expect(await stop(server, 'SIGTERM')).toBe(0);
    }
    expect(postgresPids()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'runtime.json'))).toBe(false);
  });

  it('stops an orphaned PostgreSQL left by a killed server', async () => {
    const server = await startServer(18472);
    await stop(server, 'SIGKILL');
    expect(postgresPids().length).toBeGreaterThan(0);
    const again = await startServer(18472);
    expect(await stop(again, 'SIGINT')).toBe(0);
    expect(postgresPids()).toEqual([]);
  });

  it('backs up and restores, and audit verify names an altered record', async () => {
    const file = path.join(dataDir, 'backup.tsb');
    const b = tinhso('backup', file);
    expect(b.code, b.err).toBe(0);
    tinhso('user', 'create', '--email', 'later@example.org', '--password', 'mat-khau-rat-dai', '--name', 'Sau');
    const r = tinhso('restore', file);
    expect(r.code, r.err).toBe(0);
    const server = await startServer(18473);
    try {
      const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8'));
      const runtime = JSON.parse(fs.readFileSync(path.join(dataDir, 'runtime.json'), 'utf8'));
      const client = new pg.Client({ host: '127.0.0.1', port: runtime.port, user: creds.user, password: creds.password, database: 'tinhso' });
      await client.connect();
      const emails = (await client.query('select email from app_user order by email')).rows.map((x) => x.email);
      expect(emails).toContain('lan@example.org');
      expect(emails).not.toContain('later@example.org');
      expect(tinhso('audit', 'verify').code).toBe(0);
      await client.query(
        `alter table audit_log disable trigger user; update audit_log set actor_label = 'someone else' where seq = 2; alter table audit_log enable trigger user`,
      );
      await client.end();
      const v = tinhso('audit', 'verify');
      expect(v.code).toBe(1);
      expect(v.err).toContain('record 2');
    } finally {
      await stop(server, 'SIGTERM');
    }
  });
});
