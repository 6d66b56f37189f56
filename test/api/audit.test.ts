import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { recordAudit, SYSTEM_ACTOR, verifyAudit } from '../../src/platform/audit/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
  const sys = await t.userWithToken({ email: 'auditor@example.org', sysadmin: true });
  for (let i = 0; i < 5; i++) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: sys.auth,
      remoteAddress: '192.0.2.7',
      payload: { email: `a${i}@example.org`, name: `Người ${i}` },
    });
    expect(r.statusCode).toBe(201);
  }
});
afterEach(async () => t?.close());

/** The tamperer is a superuser who switches off the append-only trigger first. */
async function tamper(sqlText: string): Promise<void> {
  await t.db.pool.query(`alter table audit_log disable trigger user; ${sqlText}; alter table audit_log enable trigger user;`);
}

describe('audit trail', () => {
  it('records who, what, when and from where for API writes', async () => {
    const { rows } = await t.db.pool.query(`select * from audit_log where action = 'user.create' and ip = '192.0.2.7' order by seq`);
    expect(rows).toHaveLength(5);
    expect(rows[0].actor_label).toBe('auditor@example.org');
    expect(rows[0].details.email).toBe('a0@example.org');
    expect(await verifyAudit(t.db.db)).toMatchObject({ ok: true });
  });

  it('refuses updates and deletes from the application role', async () => {
    await expect(t.db.pool.query(`update audit_log set action = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.db.pool.query(`delete from audit_log where seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('detects an altered record and names it', async () => {
    await tamper(`update audit_log set details = '{"email":"evil@example.org"}' where seq = 4`);
    expect(await verifyAudit(t.db.db)).toMatchObject({ ok: false, checked: 3, firstBad: { seq: 4 } });
  });

  it('detects a removed record', async () => {
    await tamper(`delete from audit_log where seq = 3`);
    const r = await verifyAudit(t.db.db);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.seq).toBe(4);
  });

  it('detects an inserted record', async () => {
    await tamper(`update audit_log set seq = seq + 1000 where seq >= 3; update audit_log set seq = seq - 999 where seq >= 1003;
      insert into audit_log (seq, at, action, entity_type, prev_hash, hash) select 3, now(), 'user.create', 'user', hash, repeat('a', 64) from audit_log where seq = 2`);
    const r = await verifyAudit(t.db.db);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.seq).toBe(3);
  });

  it('verifies as a background job with progress readable through the API', async () => {
    await t.close();
    t = await createTestApp({ work: true });
    const sys = await t.userWithToken({ email: 'jobs@example.org', sysadmin: true });
    const { jobId } = (await t.app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: sys.auth })).json<{ jobId: string }>();
    let job: { state: string; progress: { done: number; total: number }; output: { ok: boolean } } | undefined;
    for (let i = 0; i < 100; i++) {
      job = (await t.app.inject({ url: `/api/v1/jobs/${jobId}`, headers: sys.auth })).json();
      if (job?.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job?.state).toBe('completed');
    expect(job?.output.ok).toBe(true);
    expect(job?.progress.done).toBe(job?.progress.total);
    expect(job?.progress.total).toBeGreaterThan(0);
  });

  it('keeps one chain per stream: a writer of another stream never waits for the audit chain', async () => {
    const entry = (i: number) => ({ action: 'message.logged', entityType: 'message', entityId: String(i) });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // A catalog-style write holds the audit chain's lock until it commits…
    const slow = t.db.db.transaction().execute(async (trx) => {
      await recordAudit(trx, SYSTEM_ACTOR, entry(0));
      locked();
      await held;
    });
    await isLocked;
    // …while another stream appends and commits; lock_timeout makes a wait fail instead of hanging.
    for (let i = 1; i <= 3; i++) {
      await t.db.db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = '2s'`.execute(trx);
        await recordAudit(trx, SYSTEM_ACTOR, entry(i), 'exchange');
      });
    }
    release();
    await slow;
    const r = await verifyAudit(t.db.db);
    expect(r.ok).toBe(true);
    expect(r.chains.map((c) => [c.stream, c.checked])).toEqual([
      ['audit', expect.any(Number)],
      ['exchange', 3],
    ]);
  });

  it('verifies every chain and names the stream of a bad record', async () => {
    await t.db.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) await recordAudit(trx, SYSTEM_ACTOR, { action: 'alert.raised', entityType: 'alert', entityId: String(i) }, 'alerts');
    });
    await tamper(`update audit_log set details = '{"x":1}' where stream = 'alerts' and seq = 2`);
    const r = await verifyAudit(t.db.db);
    expect(r.ok).toBe(false);
    expect(r.firstBad).toMatchObject({ stream: 'alerts', seq: 2 });
    expect(r.chains.find((c) => c.stream === 'audit')?.ok).toBe(true);
  });
});
