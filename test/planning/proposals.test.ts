import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { memberOf } from './helpers.js';

/**
 * An S&T task proposal from submission to decision: a business proposes without an account and
 * follows it by its mailed link; the Department screens it in, forms a council of three from the
 * expert groups, records each member's scores, and decides once all have scored.
 */
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let dost: { auth: Record<string, string> };
let outsider: { auth: Record<string, string> };
const base = '/api/v1/planning/proposals';
const PROPOSER = 'giamdoc@nongnghiepso.example.vn';

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ smtpUrl: smtp.url, work: true, baseUrl: 'https://tinhso.example.vn' });
  dost = await memberOf(t, 'quanly.khcn@sokhcn.example.vn', 'so-khcn', 'editor');
  outsider = await memberOf(t, 'canbo@sotnmt.example.vn', 'so-tnmt', 'admin');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const PROPOSAL = {
  title: 'Ứng dụng trí tuệ nhân tạo dự báo sâu bệnh trên cây nho Ninh Thuận',
  objectives: 'Xây dựng mô hình dự báo sâu bệnh từ ảnh lá nho và dữ liệu thời tiết.',
  products: 'Mô hình dự báo; ứng dụng di động cho nông dân; bộ dữ liệu ảnh mở.',
  budget: '1.250,5',
  durationMonths: 18,
  field: 'Nông nghiệp',
  proposerKind: 'business',
  proposerName: 'Nguyễn Văn An',
  proposerEmail: PROPOSER,
  proposerOrg: 'Công ty TNHH Nông nghiệp số Ninh Thuận',
};

describe('an S&T task proposal', () => {
  let id = '';
  let token = '';
  const experts: string[] = [];

  it('is refused with every bad field named, and taken from anyone with a code and a tracking link', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: base,
      payload: { ...PROPOSAL, budget: 'nhiều', durationMonths: 0, proposerEmail: 'an@', proposerOrg: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['budget', 'durationMonths', 'proposerEmail', 'proposerOrg']);
    const r = await t.app.inject({ method: 'POST', url: base, payload: PROPOSAL });
    expect(r.statusCode, r.body).toBe(201);
    const j = r.json<{ id: string; code: string; track: { token: string } }>();
    id = j.id;
    token = j.track.token;
    expect(j.code).toMatch(/^DX-\d{4}-001$/);
    const [mail] = await smtp.mailsTo(PROPOSER, 1);
    expect(mail!.subject).toContain(j.code);
    expect(mail!.text).toContain(`https://tinhso.example.vn/plan/proposals/${id}?token=`);
  });

  it('lets the proposer follow it by the token, and nobody else but the Department', async () => {
    const mine = await t.app.inject({ method: 'GET', url: `${base}/${id}?token=${encodeURIComponent(token)}` });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ status: 'submitted', budgetMillion: 1250.5 });
    expect(mine.json()).not.toHaveProperty('council');
    expect((await t.app.inject({ method: 'GET', url: `${base}/${id}?token=x${token}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${base}/${id}`, headers: outsider.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: base, headers: outsider.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: base, headers: dost.auth })).json<{ proposals: unknown[] }>().proposals).toHaveLength(1);
  });

  it('goes through screening to a council of three from the expert groups', async () => {
    for (const [name, field, inProvince] of [
      ['PGS.TS. Trần Minh Quang', 'Trí tuệ nhân tạo', false],
      ['TS. Lê Thị Hồng', 'Bảo vệ thực vật', true],
      ['ThS. Phạm Văn Tâm', 'Công nghệ thông tin', true],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/planning/experts',
        headers: dost.auth,
        payload: { name, field, inProvince, email: `${experts.length}@example.vn` },
      });
      expect(r.statusCode, r.body).toBe(201);
      experts.push(r.json<{ id: string }>().id);
    }
    const open = (await t.app.inject({ method: 'GET', url: '/api/v1/planning/experts' })).json<{ experts: Record<string, unknown>[] }>().experts;
    expect(open).toHaveLength(3);
    expect(open.every((e) => !('email' in e))).toBe(true);

    const early = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}/council`,
      headers: dost.auth,
      payload: { members: experts.map((e) => ({ expert: e, role: 'member' })) },
    });
    expect(early.statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: `${base}/${id}/screening`, headers: dost.auth, payload: { accept: false } })).statusCode).toBe(400);
    const screened = await t.app.inject({
      method: 'POST',
      url: `${base}/${id}/screening`,
      headers: dost.auth,
      payload: { accept: true, note: 'Phù hợp nhóm nội dung ứng dụng.' },
    });
    expect(screened.statusCode, screened.body).toBe(200);
    expect(screened.json<{ status: string }>().status).toBe('in_review');

    const noChair = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}/council`,
      headers: dost.auth,
      payload: { members: experts.slice(0, 2).map((e) => ({ expert: e, role: 'member' })) },
    });
    expect(noChair.statusCode).toBe(400);
    expect(noChair.json<{ code: string; field: string }>()).toMatchObject({ code: 'council_too_small', field: 'members' });
    const threeNoChair = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}/council`,
      headers: dost.auth,
      payload: { members: experts.map((e) => ({ expert: e, role: 'member' })) },
    });
    expect(threeNoChair.json<{ code: string }>().code).toBe('one_chair');
    const council = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}/council`,
      headers: dost.auth,
      payload: { members: experts.map((e, i) => ({ expert: e, role: i === 0 ? 'chair' : 'member' })) },
    });
    expect(council.statusCode, council.body).toBe(200);
  });

  it('decides only when every member has scored, within each criterion’s maximum', async () => {
    const sheet = (n: number) => ({ necessity: 18, science: n, feasibility: 20, impact: 17, budget: '8,5' });
    const over = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}/scores/${experts[0]}`,
      headers: dost.auth,
      payload: { scores: { ...sheet(20), science: 26 } },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json<{ field: string }>().field).toBe('scores.science');
    for (const [i, n] of [
      [0, 20],
      [1, 22],
    ] as const)
      expect(
        (await t.app.inject({ method: 'PUT', url: `${base}/${id}/scores/${experts[i]}`, headers: dost.auth, payload: { scores: sheet(n) } })).statusCode,
      ).toBe(200);
    const early = await t.app.inject({ method: 'POST', url: `${base}/${id}/decision`, headers: dost.auth, payload: { approved: true } });
    expect(early.statusCode).toBe(422);
    expect(early.json<{ code: string }>().code).toBe('scores_missing');
    const last = await t.app.inject({
      method: 'PUT',
      url: `${base}/${id}/scores/${experts[2]}`,
      headers: dost.auth,
      payload: { scores: sheet(15), comment: 'Cần làm rõ nguồn dữ liệu ảnh.' },
    });
    expect(last.statusCode).toBe(200);
    // 83.5, 85.5 and 78.5: a mean of 82.5.
    expect(last.json<{ mean: number; scored: number }>()).toMatchObject({ mean: 82.5, scored: 3 });
    expect((await t.app.inject({ method: 'POST', url: `${base}/${id}/decision`, headers: outsider.auth, payload: { approved: true } })).statusCode).toBe(403);
    const d = await t.app.inject({
      method: 'POST',
      url: `${base}/${id}/decision`,
      headers: dost.auth,
      payload: { approved: true, note: 'Giao Sở KH&CN đặt hàng năm 2027.' },
    });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'approved', meanScore: 82.5 });
  });

  it('shows the proposer the outcome and its steps, and tells them by mail', async () => {
    const mine = (await t.app.inject({ method: 'GET', url: `${base}/${id}?token=${encodeURIComponent(token)}` })).json<{
      status: string;
      events: { action: string }[];
    }>();
    expect(mine.status).toBe('approved');
    expect(mine.events.map((e) => e.action)).toEqual(['submitted', 'screened_in', 'council', 'approved']);
    const mails = await smtp.mailsTo(PROPOSER, 2);
    expect(mails[1]!.subject).toContain('được phê duyệt');
    expect(mails[1]!.text).toContain('Giao Sở KH&CN đặt hàng năm 2027.');
  });
});
