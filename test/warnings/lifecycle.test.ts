import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, setMember } from '../../src/modules/organizations/index.js';
import { refreshForecasts, runQc } from '../../src/modules/sensors/index.js';
import { evaluateRules } from '../../src/modules/warnings/index.js';
import { SYSTEM_ACTOR } from '../../src/platform/audit/index.js';
import { systemPrincipal } from '../../src/platform/auth/index.js';
import { webhookSignature } from '../../src/platform/crypto/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { pm25Stream, stationThing } from '../helpers/stations.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

const HOUR = 3_600_000;
/** A virtual clock in the past: the app's own every-minute evaluation (at the real now) finds this data out of date and leaves it alone. */
const T0 = Date.parse('2026-11-20T00:00:00Z');
const hourly = (from: number, values: number[]) => values.map((v, i) => ({ phenomenonTime: new Date(from + i * HOUR + 30 * 60_000).toISOString(), result: v }));

describe('warnings: one alert per episode, escalation, acknowledgement, resolution, e-mail and signed webhook', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hook: http.Server;
  const calls: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let editor: Record<string, string>;
  let outsider: Record<string, string>;
  let thing: number;
  let stream: number;
  const req = async (method: string, url: string, auth?: Record<string, string>, payload?: unknown) => {
    const r = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { 'accept-language': 'en', ...(auth ?? {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, json: () => r.json() as Loose, body: r.body, type: String(r.headers['content-type']) };
  };
  const until = async <T>(fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    hook = http.createServer((rq, rs) => {
      let body = '';
      rq.on('data', (c: Buffer) => (body += c.toString()));
      rq.on('end', () => {
        calls.push({ headers: rq.headers, body });
        rs.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    t = await createTestApp({ smtpUrl: smtp.url, work: true, baseUrl: 'https://tinhso.example.vn' });
    const org = (
      await createOrganization(t.db.db, systemPrincipal(), SYSTEM_ACTOR, {
        name: 'Sở Tài nguyên và Môi trường (thử)',
        slug: 'tnmt-canh-bao',
        kind: 'department',
        email: 'tnmt@example.gov.vn',
      })
    ).id;
    const u = await t.userWithToken({ email: 'canhbao@example.gov.vn' });
    await setMember(t.db.db, systemPrincipal(), SYSTEM_ACTOR, org, u.id, 'admin');
    editor = u.auth;
    outsider = (await t.userWithToken({ email: 'nguoi-ngoai@example.vn' })).auth;
    // Ten days of clean air (about 20 µg/m³ with a daily cycle), then three hours at 120.
    const calm = Array.from({ length: 240 }, (_, i) => Math.round((20 + 6 * Math.sin((2 * Math.PI * i) / 24)) * 10) / 10);
    const made = await req(
      'POST',
      '/v1.1/Things',
      editor,
      stationThing('Trạm Phan Rang (thử)', { datastreams: [pm25Stream('Phan Rang', hourly(T0 - 243 * HOUR, [...calm, 120, 120, 120]))] }),
    );
    expect(made.status, made.body).toBe(201);
    thing = made.json()['@iot.id'];
    stream = (await req('GET', `/v1.1/Things(${thing})/Datastreams`)).json().value[0]['@iot.id'];
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    hook?.close();
  });

  it('refuses a bad rule naming every bad field, and rules from outside the unit', async () => {
    const bad = await req('POST', '/api/v1/warnings/rules', editor, {
      org: 'tnmt-canh-bao',
      name: '',
      kind: 'sometimes',
      parameter: 'pm25',
      threshold: '-3',
      windowHours: 500,
    });
    expect(bad.status).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: Loose) => e.field)
        .sort(),
    ).toEqual(['kind', 'name', 'severity', 'threshold', 'windowHours']);
    expect((await req('GET', '/api/v1/warnings/rules', editor)).json().rules).toEqual([]);
    const foreign = await req('POST', '/api/v1/warnings/rules', outsider, {
      org: 'tnmt-canh-bao',
      name: 'x',
      kind: 'threshold',
      parameter: 'aqi',
      threshold: 150,
      severity: 'severe',
    });
    expect(foreign.status).toBe(403);
    expect((await req('POST', '/api/v1/warnings/rules', undefined, { org: 'tnmt-canh-bao' })).status).toBe(401);
  });

  it('opens one alert for an episode, escalates it while unacknowledged, stops after acknowledgement, resolves below the all-clear level, and tells e-mail and webhook', async () => {
    const mailSub = await req('POST', '/api/v1/warnings/subscriptions', editor, { org: 'tnmt-canh-bao', channel: 'email', address: 'truc-ban@example.gov.vn' });
    expect(mailSub.status, mailSub.body).toBe(201);
    const webSub = await req('POST', '/api/v1/warnings/subscriptions', editor, {
      org: 'tnmt-canh-bao',
      channel: 'webhook',
      address: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
    });
    expect(webSub.status, webSub.body).toBe(201);
    const secret: string = webSub.json().secret;
    for (const address of ['ftp://127.0.0.1/hook', 'http://ai:mat-khau@127.0.0.1/hook', 'khong-phai-url']) {
      const bad = await req('POST', '/api/v1/warnings/subscriptions', editor, { org: 'tnmt-canh-bao', channel: 'webhook', address });
      expect(bad.status).toBe(400);
      expect(bad.json().field).toBe('address');
    }
    const badMail = await req('POST', '/api/v1/warnings/subscriptions', editor, { channel: 'email', address: 'khong-co-a-cong', minSeverity: 'tệ' });
    expect(
      badMail
        .json()
        .errors.map((e: Loose) => e.field)
        .sort(),
    ).toEqual(['address', 'minSeverity']);
    expect(secret).toMatch(/^[\w-]{40,}$/);
    expect((await req('GET', '/api/v1/warnings/subscriptions', editor)).json().subscriptions.every((s: Loose) => !('secret' in s))).toBe(true);

    const rule = await req('POST', '/api/v1/warnings/rules', editor, {
      org: 'tnmt-canh-bao',
      name: 'VN_AQI từ 150 (xấu)',
      kind: 'threshold',
      station: thing,
      parameter: 'aqi',
      threshold: '150',
      severity: 'severe',
      escalateAfterMinutes: 30,
    });
    expect(rule.status, rule.body).toBe(201);
    expect(rule.json()).toMatchObject({ threshold: 150, clearBelow: 135, public: true });

    // PM2.5 NowCast ≈ 107 µg/m³ → VN_AQI ≈ 170.
    const first = await evaluateRules(t.db.db, t.jobs, T0 + 10 * 60_000);
    expect(first).toMatchObject({ opened: 1, escalated: 0, resolved: 0 });
    const again = await evaluateRules(t.db.db, t.jobs, T0 + 15 * 60_000);
    expect(again).toMatchObject({ opened: 0, escalated: 0 });
    const open = (await req('GET', '/api/v1/warnings/alerts?open=true')).json().alerts;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ state: 'open', severity: 'severe', level: 0 });
    expect(open[0].value).toBeGreaterThan(150);
    const id: string = open[0].id;

    const [mail] = await smtp.mailsTo('truc-ban@example.gov.vn', 1);
    expect(mail!.subject).toContain('VN_AQI từ 150');
    expect(mail!.text).toContain(`https://tinhso.example.vn/warnings/${id}`);
    const opened = await until(async () => calls.find((c) => c.headers['x-tinhso-event'] === 'alert.opened'));
    const sig = String(opened.headers['x-tinhso-signature']);
    const ts = Number(/t=(\d+)/.exec(sig)![1]);
    expect(sig).toBe(webhookSignature(secret, opened.body, ts));
    expect(JSON.parse(opened.body).alert).toMatchObject({ id, state: 'open', station: { id: thing } });

    // Not acknowledged after 30 minutes: escalated once, then again 30 minutes later.
    expect(await evaluateRules(t.db.db, t.jobs, T0 + 41 * 60_000)).toMatchObject({ escalated: 1, opened: 0 });
    expect(await evaluateRules(t.db.db, t.jobs, T0 + 50 * 60_000)).toMatchObject({ escalated: 0 });
    await until(async () => calls.find((c) => c.headers['x-tinhso-event'] === 'alert.escalated'));
    const mails = await smtp.mailsTo('truc-ban@example.gov.vn', 2);
    expect(mails[1]!.subject).toContain('chuyển cấp');

    expect((await req('POST', `/api/v1/warnings/alerts/${id}/acknowledge`, outsider, {})).status).toBe(403);
    const ack = await req('POST', `/api/v1/warnings/alerts/${id}/acknowledge`, editor, { note: 'Đã báo UBND xã' });
    expect(ack.status, ack.body).toBe(200);
    expect(ack.json().state).toBe('acknowledged');
    expect((await req('POST', `/api/v1/warnings/alerts/${id}/acknowledge`, editor, {})).status).toBe(409);
    expect(await evaluateRules(t.db.db, t.jobs, T0 + 3 * HOUR - 60_000)).toMatchObject({ escalated: 0, resolved: 0, opened: 0 });

    // Clean air again: the NowCast falls below 135 and the episode ends; a new one could start later.
    const more = await req('POST', `/v1.1/Datastreams(${stream})/Observations`, editor, hourly(T0, [10])[0]);
    expect(more.status, more.body).toBe(201);
    for (const o of hourly(T0 + HOUR, [10, 10, 10, 10, 10])) await req('POST', `/v1.1/Datastreams(${stream})/Observations`, editor, o);
    expect(await evaluateRules(t.db.db, t.jobs, T0 + 6 * HOUR + 10 * 60_000)).toMatchObject({ resolved: 1 });
    const done = (await req('GET', `/api/v1/warnings/alerts/${id}`)).json();
    expect(done.state).toBe('resolved');
    expect(done.history.map((e: Loose) => e.kind)).toEqual(['opened', 'escalated', 'acknowledged', 'resolved']);
    await until(async () => calls.find((c) => c.headers['x-tinhso-event'] === 'alert.resolved'));
    expect((await smtp.mailsTo('truc-ban@example.gov.vn', 3))[2]!.subject).toContain('Hết cảnh báo');
    expect(calls.filter((c) => c.headers['x-tinhso-event'] === 'alert.opened')).toHaveLength(1);

    // The public feeds and the CAP 1.2 message of the warning.
    const atom = await req('GET', '/warnings/feed.atom');
    expect(atom.type).toContain('application/atom+xml');
    expect(atom.body).toContain(`/warnings/${id}/cap.xml`);
    const cap = await req('GET', `/warnings/${id}/cap.xml`);
    expect(cap.type).toContain('application/cap+xml');
    const doc = new DOMParser().parseFromString(cap.body, 'text/xml');
    const NS = 'urn:oasis:names:tc:emergency:cap:1.2';
    const text = (name: string) => doc.getElementsByTagNameNS(NS, name)[0]?.textContent;
    expect(doc.documentElement!.namespaceURI).toBe(NS);
    expect(text('msgType')).toBe('Update');
    expect(text('responseType')).toBe('AllClear');
    expect(text('severity')).toBe('Severe');
    expect(text('sent')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(text('references')).toContain(`:warning:${id},`);
    expect(doc.getElementsByTagNameNS(NS, 'info')).toHaveLength(2);
    expect(text('circle')).toMatch(/^11\.56,108\.99 5$/);
  }, 90_000);

  it('fires a forecast-exceedance rule from the station’s forecast, and flags a stuck sensor in the observations', async () => {
    const made = await refreshForecasts(t.db.db, [thing], true);
    expect(made.made).toBe(2);
    const rule = await req('POST', '/api/v1/warnings/rules', editor, {
      org: 'tnmt-canh-bao',
      name: 'PM2.5 dự báo trên 8 trong 24 giờ',
      kind: 'forecast',
      station: thing,
      parameter: 'pm25',
      threshold: 8,
      windowHours: 24,
      severity: 'moderate',
      public: false,
    });
    expect(rule.status, rule.body).toBe(201);
    const r = await evaluateRules(t.db.db, t.jobs, T0 + 6 * HOUR + 20 * 60_000);
    expect(r.opened).toBe(1);
    const all = (await req('GET', '/api/v1/warnings/alerts?open=true', editor)).json().alerts;
    const fc = all.find((a: Loose) => a.kind === 'forecast');
    expect(fc.detail.en).toMatch(/PM2\.5 forecast to reach/);
    // Not public: anonymous viewers do not see it.
    expect((await req('GET', '/api/v1/warnings/alerts?open=true')).json().alerts.some((a: Loose) => a.kind === 'forecast')).toBe(false);
    expect((await req('GET', `/api/v1/warnings/alerts/${fc.id}`)).status).toBe(404);

    // Twelve identical readings: the quality check flags them stuck in resultQuality.
    for (const o of hourly(T0 + 6 * HOUR, Array(12).fill(33.3))) await req('POST', `/v1.1/Datastreams(${stream})/Observations`, editor, o);
    const qc = await runQc(t.db.db, [stream]);
    expect(qc.flagged).toBeGreaterThan(0);
    const flagged = (await req('GET', `/v1.1/Datastreams(${stream})/Observations?$filter=resultQuality/qc/kind eq 'stuck'&$orderby=phenomenonTime`)).json()
      .value;
    expect(flagged.length).toBeGreaterThanOrEqual(6);
    expect(flagged[0].resultQuality.qc.score).toBeGreaterThanOrEqual(0.5);
    // A second run has nothing new to check.
    expect((await runQc(t.db.db, [stream])).checked).toBe(0);
  }, 60_000);
});
