import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { registryFile } from '../exchange/helpers.js';

/** `tinhso exchange …` in child processes, on a test database (DATABASE_URL). */
const BIN = path.resolve('bin/tinhso.js');
let db: TestDatabase;
let dataDir: string;

const tinhso = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: db.url },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-xr-cli-'));
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tinhso exchange', () => {
  it('applies a registry file idempotently, prints what changed, and exports the same format', () => {
    const reg = registryFile('http://10.0.0.5:8080');
    const first = tinhso('exchange', 'apply', reg.file);
    expect(first.code).toBe(0);
    expect(first.out).toContain('+ member VN-NT/GOV/000.00.15.H58 (Sở Tài nguyên và Môi trường)');
    expect(first.out).toContain('+ service VN-NT/GOV/000.00.15.H58/quan-trac/tram-quan-trac → http://10.0.0.5:8080/api/');
    expect(first.out).toContain('+ access VN-NT/GOV/000.00.15.H58/quan-trac/tram-quan-trac ← VN-NT/GOV/000.00.20.H58/cong-du-lieu GET /stations/*');
    const again = tinhso('exchange', 'apply', reg.file);
    expect([again.code, again.out.trim()]).toEqual([0, 'no changes']);
    const exported = tinhso('exchange', 'export');
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('openapi: ./tram-quan-trac.yaml');
    const copy = path.join(reg.dir, 'exported.yaml');
    fs.writeFileSync(copy, exported.out);
    expect(tinhso('exchange', 'apply', copy).out.trim()).toBe('no changes');
    // A change and a removal, each on its own line.
    fs.writeFileSync(
      copy,
      exported.out
        .replace('timeout_ms: 1000', 'timeout_ms: 2000')
        .replace(/ {2}- service: VN-NT\/GOV\/000\.00\.15\.H58\/quan-trac\/echo\n {4}clients:\n {6}- VN-NT\/GOV\/000\.00\.20\.H58\n/, ''),
    );
    const changed = tinhso('exchange', 'apply', copy);
    expect(changed.out).toContain('~ service VN-NT/GOV/000.00.15.H58/quan-trac/tram-quan-trac: timeout_ms');
    expect(changed.out).toContain('- access VN-NT/GOV/000.00.15.H58/quan-trac/echo ← VN-NT/GOV/000.00.20.H58 * /**');
  });

  it('refuses a bad file naming every bad field, and changes nothing', async () => {
    const before = (await sql<{ version: number }>`select version from xr_registry`.execute(db.db)).rows[0]!.version;
    const reg = registryFile('ftp://bad');
    fs.writeFileSync(reg.file, reg.yaml.replace('code: cong-du-lieu', 'code: "cổng dữ liệu"').replace('"GET /stations/*"', '"FETCH stations"'));
    const r = tinhso('exchange', 'apply', reg.file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: members[0].subsystems[0].services[0].url: The service address must be http(s)');
    expect(r.err).toContain('error: members[1].subsystems[0].code:');
    expect(r.err).toContain('error: access[0].endpoints[0]: Endpoint "FETCH stations" is not valid');
    expect((await sql<{ version: number }>`select version from xr_registry`.execute(db.db)).rows[0]!.version).toBe(before);
  });

  it('issues a token bound to a subsystem on the last line, and verifies the log', async () => {
    const t = tinhso('exchange', 'token', 'create', '--client', 'VN-NT/GOV/000.00.20.H58/cong-du-lieu');
    expect(t.code).toBe(0);
    const token = t.out.trim().split('\n').pop()!;
    expect(token).toMatch(/^xr_[A-Za-z0-9_-]{43}$/);
    const { rows } = await sql<{ secret_hash: string }>`select secret_hash from xr_credential`.execute(db.db);
    expect(rows.map((r) => r.secret_hash)).not.toContain(token);
    expect(tinhso('exchange', 'token', 'create', '--client', 'VN-NT/GOV/000.00.20.H58/khong-co').code).toBe(1);
    const ok = tinhso('exchange', 'log', 'verify');
    expect([ok.code, ok.out]).toEqual([0, expect.stringContaining('message log intact')]);
  });
});
