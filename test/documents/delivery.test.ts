import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { api, composeInput, eventually, KH_AGENCY, NT_SENDER, twoProvinces } from './helpers.js';

type Env = Awaited<ReturnType<typeof twoProvinces>>;

/**
 * Reliable delivery: the other province is unreachable when a document is sent; the outbox keeps
 * retrying (backoff with jitter) from two instances of the sending province sharing one database,
 * and when the network is back the document arrives exactly once.
 */
describe('delivery while the recipient is unreachable', () => {
  let env: Env;
  let second: TestApp;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.TINHSO_DOCUMENTS_RETRY_BASE_MS = '150';
    process.env.TINHSO_DOCUMENTS_MAX_ATTEMPTS = '200';
    env = await twoProvinces({ ntUpstream: 'http://127.0.0.1:9' });
    second = await createTestApp({ sameDatabaseAs: env.nt.app, searchIndex: 'off', work: true });
    await second.app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await second?.close();
    await env?.close();
  });

  it('retries with growing waits while the network is down, then delivers exactly once', async () => {
    const { nt, kh } = env;
    const r = await api(nt, 'POST', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.clerks[NT_SENDER]!, composeInput([KH_AGENCY]));
    expect(r.status, r.body).toBe(201);
    const id = r.json().id as string;
    const delivery = () =>
      sql<{
        state: string;
        attempts: number;
        last_error: string | null;
        next_at: Date;
      }>`select state, attempts, last_error, next_at from doc_delivery where document = ${id} and kind = 'document'`
        .execute(nt.app.db.db)
        .then((x) => x.rows[0]!);
    const failing = await eventually(async () => {
      const d = await delivery();
      return d.attempts >= 3 && d;
    }, 'three failed attempts');
    expect(failing.state).toBe('pending');
    expect(failing.last_error).toMatch(/NetworkError/);
    const view = (await api(nt, 'GET', `/api/v1/documents/${id}`, nt.members[NT_SENDER]!)).json();
    expect(view.recipients[0].delivery).toBe('pending');
    // The network comes back (the upstream's address is corrected): the next attempt delivers.
    await env.reconnect();
    await sleep(1200);
    await eventually(async () => (await delivery()).state === 'delivered', 'delivered', 30_000);
    const inbox = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json();
    expect(inbox.items.map((d: { document_id: string }) => d.document_id)).toEqual([view.document_id]);
    // Status 01 came back, once.
    await eventually(async () => (await api(nt, 'GET', `/api/v1/documents/${id}`, nt.members[NT_SENDER]!)).json().recipients[0].status === '01', '01 back');
    await sleep(500);
    const after = (await api(nt, 'GET', `/api/v1/documents/${id}`, nt.members[NT_SENDER]!)).json();
    expect(after.events.filter((e: { kind: string }) => e.kind === 'document-delivered')).toHaveLength(1);
    expect(after.events.filter((e: { kind: string; code: string }) => e.kind === 'status' && e.code === '01')).toHaveLength(1);
  });

  it('takes back a delivery whose sender died mid-send once its lease runs out', async () => {
    const { nt } = env;
    const doc = (await api(nt, 'GET', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.members[NT_SENDER]!)).json().items[0];
    // A row as a worker leaves it when killed after claiming it: attempt counted, leased 2 s into the future.
    const row = await sql<{ id: string }>`insert into doc_delivery (org_id, document, kind, to_organ, package_key, attempts, next_at)
      select org_id, id, 'document', ${KH_AGENCY}, package_key, 1, now() + interval '2 seconds' from doc_document where id = ${doc.id} returning id`.execute(
      nt.app.db.db,
    );
    const id = row.rows[0]!.id;
    const state = async () => (await sql<{ state: string }>`select state from doc_delivery where id = ${id}`.execute(nt.app.db.db)).rows[0]!.state;
    await sleep(1000);
    expect(await state()).toBe('pending');
    await eventually(async () => (await state()) === 'delivered', 'taken back and delivered', 15_000);
    // The receiver had it already (the same document): it says so, and keeps one copy.
    const receipt = (await sql<{ receipt: { status: string } }>`select receipt from doc_delivery where id = ${id}`.execute(nt.app.db.db)).rows[0]!.receipt;
    expect(receipt.status).toBe('duplicate');
  });
});
