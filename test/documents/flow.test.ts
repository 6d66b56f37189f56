import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWebhook } from '../../src/modules/documents/webhooks.js';
import { Outbound, OutboundError } from '../../src/platform/net/index.js';
import { secretBoxOf } from '../../src/platform/crypto/index.js';
import { api, composeInput, type Loose, eventually, KH_AGENCY, KH_HUB, NT_HUB, NT_LOCAL, NT_SENDER, testKeyPair, twoProvinces } from './helpers.js';

type Env = Awaited<ReturnType<typeof twoProvinces>>;

/**
 * A department of Ninh Thuận sends a signed document with an attachment to an agency of its own
 * instance and to one of Khánh Hòa (another instance, through both exchange gateways); the
 * recipients' statuses flow back; the sender recalls it; packages arriving twice or malformed.
 */
describe('electronic documents between agencies and instances', () => {
  let env: Env;
  let sent: Record<string, Loose>;
  const attachment = Buffer.from('%PDF-1.4\n% Báo cáo quan trắc tháng 11/2026\n'.repeat(2000));

  // An agency system of Khánh Hòa's department, told of its documents by webhook; its first answer is an error.
  const hooks: { headers: http.IncomingHttpHeaders; body: string; status: number }[] = [];
  let receiver: http.Server;
  let hookSecret = '';
  const savedRetry = process.env.TINHSO_DOCUMENTS_WEBHOOK_RETRY_SECONDS;

  beforeAll(async () => {
    process.env.TINHSO_DOCUMENTS_WEBHOOK_RETRY_SECONDS = '1';
    receiver = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const status = hooks.length === 0 ? 500 : 204;
        hooks.push({ headers: req.headers, body: Buffer.concat(parts).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    env = await twoProvinces();
    const { nt, kh } = env;
    const hook = await api(kh, 'POST', '/api/v1/documents/orgs/snnmt-kh/webhooks', kh.sysadmin, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tinhso`,
    });
    expect(hook.status, hook.body).toBe(201);
    hookSecret = hook.json().secret as string;
    expect((await api(kh, 'POST', '/api/v1/documents/orgs/snnmt-kh/webhooks', kh.clerks[KH_AGENCY]!, { url: 'http://127.0.0.1:1/' })).status).toBe(403);
    expect((await api(kh, 'POST', '/api/v1/documents/orgs/snnmt-kh/webhooks', kh.sysadmin, { url: 'ftp://x/' })).json().field).toBe('url');
    const key = await api(nt, 'PUT', '/api/v1/documents/orgs/stnmt-nt/key', nt.clerks[NT_SENDER]!, testKeyPair('So TNMT Ninh Thuan'));
    // A clerk is an editor, not the organization's admin: the key is set by its admin or a sysadmin.
    expect(key.status).toBe(403);
    expect((await api(nt, 'PUT', '/api/v1/documents/orgs/stnmt-nt/key', nt.sysadmin, testKeyPair('So TNMT Ninh Thuan'))).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    process.env.TINHSO_DOCUMENTS_WEBHOOK_RETRY_SECONDS = savedRetry;
    await env?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('sends a signed document with an attachment to a local agency and to another instance', async () => {
    const { nt, kh } = env;
    const up = await nt.app.app.inject({
      method: 'POST',
      url: `/api/v1/documents/uploads?name=${encodeURIComponent('Báo cáo quan trắc.pdf')}`,
      headers: { ...nt.clerks[NT_SENDER]!, 'content-type': 'application/pdf' },
      payload: attachment,
    });
    expect(up.statusCode).toBe(201);
    const upload = up.json() as { key: string; size: number; sha256: string };
    expect(upload.size).toBe(attachment.length);
    const r = await api(
      nt,
      'POST',
      '/api/v1/documents/orgs/stnmt-nt/outbox',
      nt.clerks[NT_SENDER]!,
      composeInput([NT_LOCAL, KH_AGENCY], { attachments: [upload.key] }),
    );
    expect(r.status, r.body).toBe(201);
    sent = r.json();
    expect(sent.box).toBe('outbox');
    expect(sent.document_id).toBe(`${NT_SENDER},2026/11/14,215/STNMT-MT`);
    expect(sent.signature).toMatchObject({ valid: true });
    // Both recipients take it in and answer 01 (arrived), which comes back to the sender.
    const view = await eventually(async () => {
      const v = (await api(nt, 'GET', `/api/v1/documents/${sent.id}`, nt.members[NT_SENDER]!)).json();
      return v.recipients.every((x: Loose) => x.delivery === 'delivered' && x.status === '01') && v;
    }, 'both recipients at 01');
    expect(view.recipients.map((x: Loose) => x.organ_id).sort()).toEqual([NT_LOCAL, KH_AGENCY].sort());
    // Khánh Hòa's agency has it in its inbox: same metadata, the signature checked, the attachment intact.
    const inbox = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json();
    expect(inbox.items).toHaveLength(1);
    const got = (await api(kh, 'GET', `/api/v1/documents/${inbox.items[0].id}`, kh.members[KH_AGENCY]!)).json();
    expect(got).toMatchObject({
      box: 'inbox',
      from_organ: NT_SENDER,
      code_number: '215',
      code_notation: 'STNMT-MT',
      promulgation_date: '2026-11-14',
      status: '01',
      priority: 1,
    });
    expect(got.subject).toBe(composeInput([]).subject);
    expect(got.signature).toMatchObject({ valid: true });
    expect(got.signature.signer.subject).toContain('So TNMT Ninh Thuan');
    expect(got.attachments).toMatchObject([{ n: 1, name: 'Báo cáo quan trắc.pdf', content_type: 'application/pdf', size: attachment.length }]);
    const file = await kh.app.app.inject({ method: 'GET', url: `/api/v1/documents/${got.id}/attachments/1`, headers: kh.members[KH_AGENCY]! });
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(upload.sha256);
    expect(got.events.map((e: Loose) => e.kind)).toContain('received');
    // The local agency too.
    const local = (await api(nt, 'GET', '/api/v1/documents/orgs/skhcn-nt/inbox', nt.members[NT_LOCAL]!)).json();
    expect(local.items.map((d: Loose) => d.document_id)).toEqual([sent.document_id]);
    // The agency system was told, with a signature it can check; its error was answered by a retry.
    const told = await eventually(async () => hooks.find((h) => h.status === 204), 'the webhook call', 20_000);
    expect(hooks[0]!.headers['x-tinhso-delivery']).toBe(told.headers['x-tinhso-delivery']);
    const event = JSON.parse(told.body) as Loose;
    expect(event).toMatchObject({ event: 'document.received', document: { id: got.id, document_id: sent.document_id, box: 'inbox', status: '01' } });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(told.headers['x-tinhso-signature']))!;
    expect(v1).toBe(createHmac('sha256', hookSecret).update(`${t}.${told.body}`).digest('hex'));
    // The package itself is served as edXML.
    const pkg = await nt.app.app.inject({ method: 'GET', url: `/api/v1/documents/${sent.id}/package`, headers: nt.members[NT_SENDER]! });
    expect(pkg.headers['content-type']).toContain('application/xml');
    expect(pkg.body).toContain('<edXML:DocumentId>');
  });

  it('moves a received document through its statuses, each flowing back to the sender; a wrong step is refused', async () => {
    const { nt, kh } = env;
    const doc = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items[0];
    // A member reads but does not handle.
    expect((await api(kh, 'POST', `/api/v1/documents/${doc.id}/status`, kh.members[KH_AGENCY]!, { code: '03' })).status).toBe(403);
    for (const code of ['03', '05']) {
      const r = await api(kh, 'POST', `/api/v1/documents/${doc.id}/status`, kh.clerks[KH_AGENCY]!, {
        code,
        description: code === '05' ? 'Giao phòng Quan trắc xử lý' : undefined,
      });
      expect(r.status, r.body).toBe(200);
      expect(r.json().status).toBe(code);
    }
    const back = await api(kh, 'POST', `/api/v1/documents/${doc.id}/status`, kh.clerks[KH_AGENCY]!, { code: '03' });
    expect(back.status).toBe(400);
    expect(back.json().field).toBe('code');
    await eventually(async () => {
      const v = (await api(nt, 'GET', `/api/v1/documents/${sent.id}`, nt.members[NT_SENDER]!)).json();
      const r = v.recipients.find((x: Loose) => x.organ_id === KH_AGENCY);
      return r.status === '05' && r.status_description === 'Giao phòng Quan trắc xử lý';
    }, 'status 05 at the sender');
    const events = (await api(nt, 'GET', `/api/v1/documents/${sent.id}`, nt.members[NT_SENDER]!)).json().events;
    expect(events.filter((e: Loose) => e.kind === 'status' && e.organ_id === KH_AGENCY).map((e: Loose) => e.code)).toEqual(['01', '03', '05']);
  });

  it('recalls a sent document: recipients answer 13 on arrival, then accept (15) or refuse (16)', async () => {
    const { nt, kh } = env;
    expect((await api(nt, 'POST', `/api/v1/documents/${sent.id}/recall`, nt.members[NT_SENDER]!, { reason: 'Sai số liệu' })).status).toBe(403);
    const r = await api(nt, 'POST', `/api/v1/documents/${sent.id}/recall`, nt.clerks[NT_SENDER]!, { reason: 'Sai số liệu tháng 10' });
    expect(r.status, r.body).toBe(200);
    expect(r.json().pending_action).toBe('1');
    await eventually(async () => {
      const v = (await api(nt, 'GET', `/api/v1/documents/${sent.id}`, nt.members[NT_SENDER]!)).json();
      return v.recipients.every((x: Loose) => x.status === '13');
    }, 'both recipients at 13');
    const khDoc = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items[0];
    expect(khDoc.pending_action).toBe('1');
    const khView = (await api(kh, 'GET', `/api/v1/documents/${khDoc.id}`, kh.clerks[KH_AGENCY]!)).json();
    expect(khView.may.next_statuses).toEqual(['15', '16']);
    expect((await api(kh, 'POST', `/api/v1/documents/${khDoc.id}/status`, kh.clerks[KH_AGENCY]!, { code: '06' })).status).toBe(400);
    const accepted = await api(kh, 'POST', `/api/v1/documents/${khDoc.id}/status`, kh.clerks[KH_AGENCY]!, { code: '15' });
    expect(accepted.json()).toMatchObject({ recalled: true, pending_action: null });
    expect(accepted.json().may.next_statuses).toEqual([]);
    const localDoc = (await api(nt, 'GET', '/api/v1/documents/orgs/skhcn-nt/inbox', nt.members[NT_LOCAL]!)).json().items[0];
    const refused = await api(nt, 'POST', `/api/v1/documents/${localDoc.id}/status`, nt.clerks[NT_LOCAL]!, { code: '16', description: 'Đã triển khai' });
    expect(refused.json()).toMatchObject({ recalled: false, pending_action: null, status: '01' });
    const final = await eventually(async () => {
      const v = (await api(nt, 'GET', `/api/v1/documents/${sent.id}`, nt.members[NT_SENDER]!)).json();
      const by = Object.fromEntries(v.recipients.map((x: Loose) => [x.organ_id, x]));
      return by[KH_AGENCY].status === '15' && by[NT_LOCAL].status === '16' && by;
    }, '15 and 16 at the sender');
    expect(final[KH_AGENCY].recalled).toBe(true);
    expect(final[NT_LOCAL].recalled).toBe(false);
  });

  it('takes a package delivered twice once: by message id, and by the standard’s key under another id', async () => {
    const { nt, kh } = env;
    const pkg = (await nt.app.app.inject({ method: 'GET', url: `/api/v1/documents/${sent.id}/package`, headers: nt.members[NT_SENDER]! })).rawPayload;
    const token = env.ntHubToken;
    const post = (id: string) =>
      request(`${nt.base}/r1/${KH_HUB}/edxml/packages/${KH_AGENCY}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-road-client': NT_HUB, 'x-road-id': id, 'content-type': 'application/xml' },
        body: pkg,
      }).then(async (r) => ({ status: r.statusCode, json: (await r.body.json()) as Record<string, unknown> }));
    const before = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items.length;
    for (const id of ['again-1', 'again-1', 'again-2']) {
      const r = await post(id);
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('duplicate');
    }
    expect((await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items.length).toBe(before);
  });

  it('refuses a malformed package with status 02 naming the element, and keeps nothing of it', async () => {
    const { nt, kh } = env;
    const token = env.ntHubToken;
    const send = (body: string) =>
      request(`${nt.base}/r1/${KH_HUB}/edxml/packages/${KH_AGENCY}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-road-client': NT_HUB, 'content-type': 'application/xml' },
        body,
      }).then(async (r) => ({ status: r.statusCode, json: (await r.body.json()) as Record<string, string> }));
    const xxe = await send(
      `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope>&x;</edXMLEnvelope></edXML>`,
    );
    expect(xxe.status).toBe(400);
    expect(xxe.json.status).toBe('02');
    expect(JSON.stringify(xxe.json)).not.toContain('root:');
    const noHeader = await send(
      `<?xml version="1.0"?><edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLEnvelope><edXML:edXMLHeader/></edXML:edXMLEnvelope></edXML:edXML>`,
    );
    expect(noHeader.status).toBe(400);
    expect(noHeader.json).toMatchObject({ status: '02' });
    expect(noHeader.json.element).toMatch(/MessageHeader/);
    // An instance speaks only for the agencies routed to it: NT cannot deliver a package “from” an agency of KH.
    const pkg = (await nt.app.app.inject({ method: 'GET', url: `/api/v1/documents/${sent.id}/package`, headers: nt.members[NT_SENDER]! })).body;
    const spoofed = await send(pkg.replace(`<edXML:OrganId>${NT_SENDER}</edXML:OrganId>`, '<edXML:OrganId>000.00.77.H37</edXML:OrganId>'));
    expect(spoofed.status, JSON.stringify(spoofed.json)).toBe(400);
    expect(spoofed.json).toMatchObject({ status: '02', element: 'MessageHeader/From/OrganId' });
    // Through the hub API, the sender's own system is told the same.
    const own = await nt.app.app.inject({
      method: 'POST',
      url: '/api/v1/documents/orgs/stnmt-nt/outbox/package',
      headers: { ...nt.clerks[NT_SENDER]!, 'content-type': 'application/xml' },
      payload: '<edXML/>',
    });
    expect(own.statusCode).toBe(400);
    expect(own.json()).toMatchObject({ code: 'edxml_refused', field: 'edXML' });
    expect(own.json().detail).toContain('(02)');
    expect((await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items).toHaveLength(1);
  });

  it('checks a composed document field by field, all at once, and sends nothing then', async () => {
    const { nt } = env;
    const r = await api(nt, 'POST', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.clerks[NT_SENDER]!, {
      ...composeInput(['000.00.99.H99', 'not-a-code', NT_SENDER]),
      promulgation_date: '31/02/2026',
      doc_type: '9.9',
      secrecy: '2',
    });
    expect(r.status).toBe(400);
    const fields = (r.json().errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['doc_type', 'promulgation_date', 'secrecy', 'to[0]', 'to[1]', 'to[2]'].sort());
    const outbox = (await api(nt, 'GET', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.members[NT_SENDER]!)).json();
    expect(outbox.items).toHaveLength(1);
  });

  it('pages an inbox with a cursor, as an agency system polls it, and acknowledges', async () => {
    const { nt } = env;
    const first = (await api(nt, 'GET', '/api/v1/documents/orgs/skhcn-nt/inbox?after=0&limit=10', nt.clerks[NT_LOCAL]!)).json();
    expect(first.items).toHaveLength(1);
    const next = (await api(nt, 'GET', `/api/v1/documents/orgs/skhcn-nt/inbox?after=${first.next}`, nt.clerks[NT_LOCAL]!)).json();
    expect(next.items).toHaveLength(0);
    expect(next.next).toBe(first.next);
    const acked = await api(nt, 'POST', `/api/v1/documents/${first.items[0].id}/ack`, nt.clerks[NT_LOCAL]!);
    expect(acked.json().acknowledged_at).toBeTruthy();
    const search = (await api(nt, 'GET', '/api/v1/documents/orgs/skhcn-nt/inbox?q=quan%20trac%20khong%20khi', nt.members[NT_LOCAL]!)).json();
    expect(search.items).toHaveLength(1);
    const none = (await api(nt, 'GET', '/api/v1/documents/orgs/skhcn-nt/inbox?q=ngan%20sach', nt.members[NT_LOCAL]!)).json();
    expect(none.items).toHaveLength(0);
  });
  it('updates a sent document’s metadata (applied where accepted) and replaces it with a new one', async () => {
    const { nt, kh } = env;
    const r = await api(
      nt,
      'POST',
      '/api/v1/documents/orgs/stnmt-nt/outbox',
      nt.clerks[NT_SENDER]!,
      composeInput([KH_AGENCY], { code_number: '220', subject: 'Về kế hoạch quan trắc nước mặt' }),
    );
    expect(r.status, r.body).toBe(201);
    const doc = r.json();
    const khCopy = async () => {
      const items = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items as Loose[];
      return items.find((d) => d.code_number === '220');
    };
    const received = await eventually(khCopy, 'the document at KH');
    const up = await api(nt, 'POST', `/api/v1/documents/${doc.id}/update`, nt.clerks[NT_SENDER]!, {
      reason: 'Sửa trích yếu',
      subject: 'Về kế hoạch quan trắc nước mặt năm 2027',
      due_date: '30/12/2026',
    });
    expect(up.status, up.body).toBe(200);
    expect(up.json()).toMatchObject({ subject: 'Về kế hoạch quan trắc nước mặt năm 2027', due_date: '2026-12-30', pending_action: '2' });
    await eventually(async () => (await khCopy())?.pending_action === '2', 'the update request at KH');
    expect((await khCopy()).subject).toBe('Về kế hoạch quan trắc nước mặt');
    const ok = await api(kh, 'POST', `/api/v1/documents/${received.id}/status`, kh.clerks[KH_AGENCY]!, { code: '15' });
    expect(ok.json()).toMatchObject({ subject: 'Về kế hoạch quan trắc nước mặt năm 2027', due_date: '2026-12-30', pending_action: null, recalled: false });
    await eventually(
      async () => (await api(nt, 'GET', `/api/v1/documents/${doc.id}`, nt.members[NT_SENDER]!)).json().recipients[0].status === '15',
      '15 at the sender',
    );
    // A replacement: a new document naming the old one; the recipient's old copy points to it.
    const rep = await api(nt, 'POST', '/api/v1/documents/orgs/stnmt-nt/outbox', nt.clerks[NT_SENDER]!, {
      ...composeInput([KH_AGENCY], { code_number: '221', subject: 'Về kế hoạch quan trắc nước mặt (thay thế)' }),
      replaces: doc.id,
      reason: 'Thay thế văn bản số 220',
    });
    expect(rep.status, rep.body).toBe(201);
    expect((await api(nt, 'GET', `/api/v1/documents/${doc.id}`, nt.members[NT_SENDER]!)).json().replaced_by).toBe(rep.json().id);
    const newCopy = await eventually(async () => {
      const items = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items as Loose[];
      return items.find((d) => d.code_number === '221');
    }, 'the replacement at KH');
    const old = (await api(kh, 'GET', `/api/v1/documents/${received.id}`, kh.members[KH_AGENCY]!)).json();
    expect(old.replaced_by).toBe(newCopy.id);
    expect((await api(kh, 'GET', `/api/v1/documents/${newCopy.id}`, kh.members[KH_AGENCY]!)).json().replaces).toBe(received.id);
    // A replaced document is not recalled or replaced again.
    expect((await api(nt, 'POST', `/api/v1/documents/${doc.id}/recall`, nt.clerks[NT_SENDER]!, { reason: 'x' })).status).toBe(409);
  });
  it('sends webhooks only where the outbound policy allows: an internal address is refused unless the operator lists it', async () => {
    const { kh } = env;
    const hook = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/webhooks', kh.sysadmin)).json().items[0];
    const doc = (await api(kh, 'GET', '/api/v1/documents/orgs/snnmt-kh/inbox', kh.members[KH_AGENCY]!)).json().items[0];
    const box = secretBoxOf(kh.app.config);
    const data = { webhook: hook.id, event: 'document.status' as const, document: doc.id, event_id: 'policy-check', at: new Date().toISOString() };
    await expect(callWebhook(kh.app.db.db, new Outbound({ allow: [] }), () => box, data)).rejects.toBeInstanceOf(OutboundError);
    const before = hooks.length;
    await expect(callWebhook(kh.app.db.db, new Outbound({ allow: ['127.0.0.1'] }), () => box, data)).resolves.toEqual({ status: 204 });
    expect(hooks.length).toBe(before + 1);
  });
});
