import { sql } from 'kysely';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMINDERS_JOB, sendReminders } from '../../src/modules/planning/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { memberOf } from './helpers.js';
import { startSmtp } from '../helpers/smtp.js';

/**
 * Reminders through a real SMTP server: a week before 15 November every unit that owes the
 * annual report and has not sent it hears once, its editors only; a unit that has submitted does
 * not; after the deadline the overdue mail goes out (by the scheduled job itself). And the 2025
 * reorganisation: a district's tasks pass to its successor, which then owes the report.
 */
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let reviewer: { auth: Record<string, string> };
const YEAR = 2026;

const mailTo = (addr: string) => smtp.received.filter((m) => m.to.includes(addr));

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ smtpUrl: smtp.url, work: true, baseUrl: 'https://tinhso.example.vn' });
  reviewer = await memberOf(t, 'chuyen-vien@sokhcn.example.vn', 'so-khcn', 'editor');
  await memberOf(t, 'can-bo@sotnmt.example.vn', 'so-tnmt', 'editor');
  await memberOf(t, 'lanh-dao@sotnmt.example.vn', 'so-tnmt', 'member');
  const gtvt = await memberOf(t, 'can-bo@sogtvt.example.vn', 'so-gtvt', 'editor');
  // so-gtvt submits its report complete before any reminder.
  const view = (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/units/so-gtvt`, headers: gtvt.auth })).json<{
    sections: { ref: string }[];
    indicators: { code: string; required: boolean }[];
  }>();
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/planning/reports/${YEAR}/units/so-gtvt/submit`,
    headers: gtvt.auth,
    payload: {
      sections: Object.fromEntries(view.sections.map((s) => [s.ref, { status: 'in_progress', done: 'Triển khai thí điểm camera giám sát giao thông.' }])),
      values: Object.fromEntries(view.indicators.filter((i) => i.required).map((i) => [i.code, { value: 2 }])),
    },
  });
  expect(r.statusCode, r.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('reminders', () => {
  it('sends nothing three weeks before the deadline', async () => {
    expect(await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl, '2026-10-20')).toEqual({ sent: 0 });
    expect(smtp.received).toHaveLength(0);
  });

  it('reminds a week before, once, the editors of units that have not sent', async () => {
    const first = await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl, '2026-11-08');
    expect(first.sent).toBeGreaterThan(0);
    const tnmt = mailTo('can-bo@sotnmt.example.vn');
    expect(tnmt).toHaveLength(1);
    const mail = await PostalMime.parse(tnmt[0]!.data);
    expect(mail.subject).toContain('Nhắc hạn báo cáo 15/11/2026');
    expect(mail.text).toContain('trước ngày 15/11/2026');
    expect(mail.text).toContain('https://tinhso.example.vn/plan/reports/2026/so-tnmt');
    // Editors hear; a plain member does not; a unit that submitted does not.
    expect(mailTo('lanh-dao@sotnmt.example.vn')).toHaveLength(0);
    expect(mailTo('can-bo@sogtvt.example.vn')).toHaveLength(0);
    // The next day is still inside the 7-day window: nothing again.
    const before = smtp.received.length;
    expect(await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl, '2026-11-09')).toEqual({ sent: 0 });
    expect(smtp.received.length).toBe(before);
    // The last day's reminder is a new kind.
    await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl, '2026-11-14');
    expect(mailTo('can-bo@sotnmt.example.vn')).toHaveLength(2);
  });

  it('sends the overdue notice once after the deadline, and none after the period closes', async () => {
    expect((await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl, '2026-11-16')).sent).toBeGreaterThan(0);
    const mails = mailTo('can-bo@sotnmt.example.vn');
    expect(mails).toHaveLength(3);
    expect((await PostalMime.parse(mails[2]!.data)).subject).toContain('Quá hạn báo cáo');
    expect(await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl, '2026-11-30')).toEqual({ sent: 0 });
    expect(mailTo('can-bo@sogtvt.example.vn')).toHaveLength(0);
  });

  it('runs as the scheduled job', async () => {
    const before = smtp.received.length;
    const id = await t.jobs.enqueue(t.db.db, REMINDERS_JOB, {}, null);
    for (let i = 0; i < 200 && (await t.jobs.get(id))?.state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 100));
    const job = await t.jobs.get(id);
    expect(job?.state).toBe('completed');
    // Whatever today is, the job sends only what is due and never again what was sent.
    expect(job?.output).toEqual({ sent: expect.any(Number) });
    expect(mailTo('can-bo@sogtvt.example.vn')).toHaveLength(0);
    // One mail per unit reminded (to all its editors).
    expect(smtp.received.length - before).toBe((job?.output as { sent: number }).sent);
    // What the job sent is recorded: the same day again sends nothing.
    expect(await sendReminders(t.db.db, t.services.ctx.mail, t.config.baseUrl)).toEqual({ sent: 0 });
  });

  it('the overview names who has not sent and who sent on time', async () => {
    // so-gtvt's submission dated 10/11/2026, before the deadline (the test runs on any date).
    await sql`update plan_report set first_submitted_at = '2026-11-10T03:00:00Z', submitted_at = '2026-11-10T03:00:00Z'
      where org_id = (select id from organization where slug = 'so-gtvt')`.execute(t.db.db);
    const o = (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}`, headers: reviewer.auth })).json<{
      units: { slug: string; status: string; onTime: boolean | null; overdue: boolean }[];
    }>();
    expect(o.units.find((u) => u.slug === 'so-gtvt')).toMatchObject({ status: 'submitted', onTime: true });
    expect(o.units.find((u) => u.slug === 'so-tnmt')).toMatchObject({ status: 'not_started', overdue: true });
    const rates = async (year: number) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/planning/on-time?year=${year}`, headers: reviewer.auth }))
        .json<{ units: { slug: string; rounds: number; onTime: number; rate: number }[] }>()
        .units.find((u) => u.slug === 'so-gtvt');
    // The rounds of 2023–2026 (the plan's first years had no reports here); 2026's on time.
    expect(await rates(YEAR)).toMatchObject({ rounds: 4, onTime: 1, rate: 0.25 });
    expect(await rates(YEAR - 1)).toMatchObject({ rounds: 3, onTime: 0 });
  });
});

describe('the 2025 reorganisation', () => {
  it('passes a district’s tasks to its successor, keeping the history', async () => {
    const from = 'ubnd-huyen-ninh-hai';
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/planning/plan/transfers',
      headers: reviewer.auth,
      payload: { from, to: [from], on: '01/07/2025' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['on', 'to.0']);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/planning/plan/transfers',
      headers: reviewer.auth,
      payload: { from, to: ['ubnd-tinh-ninh-thuan'], on: '2025-07-01' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const moved = r.json<{ closed: number; opened: number }>();
    expect(moved.closed).toBeGreaterThan(0);
    const plan = (await t.app.inject({ method: 'GET', url: '/api/v1/planning/plan' })).json<{
      tasks: { ref: string; assignments: { org: { slug: string }; validTo: string | null; validFrom: string | null; succeeds: string | null }[] }[];
    }>();
    const old = plan.tasks.flatMap((x) => x.assignments.filter((a) => a.org.slug === from));
    expect(old.length).toBe(moved.closed);
    expect(old.every((a) => a.validTo === '2025-07-01')).toBe(true);
    const successor = plan.tasks.flatMap((x) => x.assignments.filter((a) => a.org.slug === 'ubnd-tinh-ninh-thuan' && a.succeeds));
    expect(successor.length).toBe(moved.opened);
    expect(successor.every((a) => a.validFrom === '2025-07-01')).toBe(true);
    // 2025's report is still owed by the district (its period began before the change); 2026's is not.
    const units = async (year: number) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${year}`, headers: reviewer.auth }))
        .json<{ units: { slug: string }[] }>()
        .units.map((u) => u.slug);
    expect(await units(2025)).toContain(from);
    expect(await units(2026)).not.toContain(from);
    expect(await units(2026)).toContain('ubnd-tinh-ninh-thuan');
  });
});
