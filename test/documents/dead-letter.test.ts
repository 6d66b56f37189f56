import PostalMime from 'postal-mime';
import { startSmtp } from '../helpers/smtp.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, composeInput, eventually, KH_AGENCY, NT_SENDER, twoProvinces } from './helpers.js';

type Env = Awaited<ReturnType<typeof twoProvinces>>;

/**
 * A delivery that runs out of attempts is dead: the sending organization's clerks get an alert by
 * mail (through a real SMTP server on a local port), and a clerk sends it again by hand.
 */
describe('dead letters', () => {
  let env: Env;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    smtp = await startSmtp();
    process.env.TINHSO_DOCUMENTS_RETRY_BASE_MS = '20';
    process.env.TINHSO_DOCUMENTS_MAX_ATTEMPTS = '3';
    env = await twoProvinces({ ntUpstream: 'http://127.0.0.1:9', smtpUrl: smtp.url });
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await env?.close();
    await smtp?.close();
  });

  it('alerts the sender’s clerks when a delivery is dead, and lets a clerk retry it', async () => {
    const { nt, kh } = env;
    const r = await api(nt, 'POST', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.clerks[NT_SENDER]!, composeInput([KH_AGENCY]));
    const id = r.json().id as string;
    const dead = await eventually(async () => {
      const v = (await api(nt, 'GET', `/api/v1/documents/${id}`, nt.members[NT_SENDER]!)).json();
      return v.recipients[0].delivery === 'dead' && v;
    }, 'a dead delivery');
    const d = dead.deliveries.find((x: { kind: string }) => x.kind === 'document');
    expect(d).toMatchObject({ state: 'dead', attempts: 3 });
    expect(dead.events.map((e: { kind: string }) => e.kind)).toContain('document-dead');
    const mail = await eventually(async () => smtp.received[0], 'the alert mail');
    expect(mail.to).toEqual(['editor.stnmt-nt.nt@example.gov.vn']);
    const parsed = await PostalMime.parse(mail.data);
    expect(parsed.subject).toContain('215/STNMT-MT');
    expect(parsed.text).toContain(`/edoc/doc/${id}`);
    expect(parsed.text).toContain('NetworkError');
    // Only the organization's clerks retry; then it goes once the network is back.
    expect((await api(nt, 'POST', `/api/v1/documents/deliveries/${d.id}/retry`, nt.members[NT_SENDER]!)).status).toBe(403);
    await env.reconnect();
    await sleep(1200);
    const retried = await api(nt, 'POST', `/api/v1/documents/deliveries/${d.id}/retry`, nt.clerks[NT_SENDER]!);
    expect(retried.json()).toMatchObject({ state: 'pending' });
    expect((await api(nt, 'POST', `/api/v1/documents/deliveries/${d.id}/retry`, nt.clerks[NT_SENDER]!)).status).toBe(409);
    await eventually(async () => {
      const v = (await api(nt, 'GET', `/api/v1/documents/${id}`, nt.members[NT_SENDER]!)).json();
      return v.recipients[0].delivery === 'delivered' && v.recipients[0].status === '01';
    }, 'delivered after the retry');
    expect((await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items).toHaveLength(1);
  });
});
