import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceFiles, evidenceFor, MessageLog, verifyLog } from '../../src/modules/exchange/index.js';
import { secretBoxOf } from '../../src/platform/crypto/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { applyFile, B_SUB, call, registryFile, SERVICE, startProvider, tokenFor } from './helpers.js';

describe('exchange message log', () => {
  let t: TestApp;
  let base: string;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let log: MessageLog;

  /** Runs a statement with the append-only trigger off, as someone with the database's keys could. */
  const tamper = async (statement: string) => {
    await sql
      .raw(
        `alter table xr_message_log disable trigger xr_message_log_append_only; ${statement}; alter table xr_message_log enable trigger xr_message_log_append_only`,
      )
      .execute(t.db.db);
  };
  const snapshot = async () => (await sql<Record<string, unknown>>`select * from xr_message_log order by seq`.execute(t.db.db)).rows;
  const restore = async (rows: Record<string, unknown>[]) => {
    await tamper('delete from xr_message_log');
    for (const r of rows)
      await sql`alter table xr_message_log disable trigger xr_message_log_append_only`
        .execute(t.db.db)
        .then(() => sql`insert into xr_message_log select * from json_populate_record(null::xr_message_log, ${JSON.stringify(r)})`.execute(t.db.db));
    await sql`alter table xr_message_log enable trigger xr_message_log_append_only`.execute(t.db.db);
  };

  beforeAll(async () => {
    provider = await startProvider();
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const reg = registryFile(provider.url);
    await applyFile(t, reg.yaml, reg.dir);
    const token = await tokenFor(t, B_SUB);
    await new Promise((r) => setTimeout(r, 1200));
    for (let i = 0; i < 12; i++) {
      const r = await call(base, `/r1/${SERVICE}/stations/NT0${i % 3}`, { token, client: B_SUB, headers: { 'x-road-id': `m-${i}` } });
      expect(r.status).toBe(200);
    }
    const box = secretBoxOf(t.config);
    log = new MessageLog(
      t.db.db,
      () => box,
      'test',
      () => 'VN-NT',
    );
    // The gateway writes in the background (group commit); wait for the twelve records.
    for (let i = 0; i < 50 && Number((await sql<{ n: string }>`select count(*) as n from xr_message_log`.execute(t.db.db)).rows[0]!.n) < 12; i++)
      await new Promise((r) => setTimeout(r, 50));
    await log.checkpoint();
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('chains every exchange, refuses updates and deletes, and verifies intact', async () => {
    const rows = await snapshot();
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    await expect(sql`update xr_message_log set status = 500 where seq = 3`.execute(t.db.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from xr_message_log where seq = 3`.execute(t.db.db)).rejects.toThrow(/append-only/);
    const r = await verifyLog(t.db.db);
    expect(r).toMatchObject({ ok: true, records: 12 });
    expect(r.checkpoints).toBeGreaterThanOrEqual(1);
  });

  it('names the first bad record after an edit, an insertion or a deletion', async () => {
    const orig = await snapshot();
    await tamper(`update xr_message_log set status = 500 where seq = 5`);
    expect((await verifyLog(t.db.db)).firstBad).toEqual({ seq: 5, reason: expect.stringMatching(/columns differ/) });
    await restore(orig);
    await tamper(`update xr_message_log set record = replace(record, '"status":200', '"status":201') where seq = 6`);
    expect((await verifyLog(t.db.db)).firstBad?.seq).toBe(6);
    await restore(orig);
    // A whole record rewritten with matching digest and hash: the next record no longer links to it.
    const seven = orig[6]!;
    const forged = String(seven.record).replace('"status":200', '"status":503');
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(forged).digest('hex');
    const hash = createHash('sha256')
      .update(String(seven.prev_hash) + digest)
      .digest('hex');
    await tamper(`update xr_message_log set record = '${forged}', status = 503, content_digest = '${digest}', hash = '${hash}' where seq = 7`);
    expect((await verifyLog(t.db.db)).firstBad?.seq).toBe(8);
    await restore(orig);
    await tamper(`delete from xr_message_log where seq = 9`);
    expect((await verifyLog(t.db.db)).firstBad).toEqual({ seq: 9, reason: expect.stringMatching(/missing/) });
    await restore(orig);
    // An inserted record (numbers shifted up from 4): 4 no longer links to 3's hash.
    await tamper(`update xr_message_log set seq = seq + 100 where seq >= 4; update xr_message_log set seq = seq - 99 where seq >= 104`);
    await tamper(
      `insert into xr_message_log select 4, at, 'forged', client, service, method, path, status, error, duration_ms, node, record, content_digest, prev_hash, hash from xr_message_log where seq = 3`,
    );
    expect((await verifyLog(t.db.db)).firstBad?.seq).toBe(4);
    await restore(orig);
    // The signed tail: removing the last records is caught by the checkpoint that names them.
    await tamper(`delete from xr_message_log where seq >= 11`);
    expect((await verifyLog(t.db.db)).firstBad).toEqual({ seq: 12, reason: expect.stringMatching(/removed from the end/) });
    await restore(orig);
    expect((await verifyLog(t.db.db)).ok).toBe(true);
  });

  it('exports evidence of one exchange that openssl alone verifies, and that fails after a one-character change', async () => {
    const e = (await evidenceFor(t.db.db, log, 'm-4'))!;
    expect(e.message_id).toBe('m-4');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xr-evidence-'));
    for (const [name, content] of Object.entries(evidenceFiles(e))) fs.writeFileSync(path.join(dir, name), content);
    expect(
      execFileSync('sh', [path.join(dir, 'verify.sh')])
        .toString()
        .trim(),
    ).toBe('OK');
    fs.writeFileSync(path.join(dir, 'record.json'), e.record.replace('"status":200', '"status":204'));
    const bad = spawnSync('sh', [path.join(dir, 'verify.sh')]);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout.toString()).toMatch(/does not match/);
    fs.writeFileSync(path.join(dir, 'record.json'), e.record);
    fs.writeFileSync(path.join(dir, 'checkpoint.txt'), e.checkpoint.statement.replace('seq: ', 'seq: 1'));
    expect(spawnSync('sh', [path.join(dir, 'verify.sh')]).status).not.toBe(0);
  });

  it('searches the log by client, service and status through the API, for those who may see it', async () => {
    const admin = await t.userWithToken({ email: 'xr-admin@example.org', sysadmin: true });
    const r = await t.app.inject({ url: `/api/v1/exchange/log?service=${encodeURIComponent(SERVICE)}&status=2xx&limit=5`, headers: admin.auth });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { items: { seq: number; status: number; client: string }[]; next: number | null };
    expect(body.items).toHaveLength(5);
    expect(body.items.every((i) => i.status === 200 && i.client === B_SUB)).toBe(true);
    const page2 = (
      await t.app.inject({ url: `/api/v1/exchange/log?service=${encodeURIComponent(SERVICE)}&before=${body.next}&limit=50`, headers: admin.auth })
    ).json() as { items: unknown[] };
    expect(page2.items).toHaveLength(7);
    const nobody = await t.userWithToken({ email: 'xr-nobody@example.org' });
    expect(((await t.app.inject({ url: '/api/v1/exchange/log', headers: nobody.auth })).json() as { items: unknown[] }).items).toHaveLength(0);
    expect((await t.app.inject({ url: '/api/v1/exchange/log/m-4/evidence', headers: nobody.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/exchange/log?status=abc', headers: admin.auth })).statusCode).toBe(400);
    const stats = (await t.app.inject({ url: '/api/v1/exchange/stats', headers: admin.auth })).json() as { items: { service: string; calls: number }[] };
    expect(stats.items.find((s) => s.service === SERVICE)?.calls).toBe(12);
  });
});
