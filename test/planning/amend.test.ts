import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { memberOf } from './helpers.js';

/**
 * An amendment of the plan: from 15/12/2026 (the 2027 round's data period) a task's text changes, one task goes and one comes; the
 * 2026 report keeps the old tasks, the 2027 report carries the new ones, and the plan keeps its
 * versions.
 */
let t: TestApp;
let dost: { auth: Record<string, string> };
let officer: { auth: Record<string, string> };

beforeAll(async () => {
  t = await createTestApp();
  dost = await memberOf(t, 'ke-hoach@sokhcn.example.vn', 'so-khcn', 'editor');
  officer = await memberOf(t, 'can-bo@sotnmt.example.vn', 'so-tnmt', 'editor');
});
afterAll(() => t?.close());

const refs = async (year: number) =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${year}/units/so-tnmt`, headers: officer.auth })).json<{
    sections: { ref: string; text: string }[];
  }>().sections;

describe('amending the plan', () => {
  it('refuses a bad amendment naming each field, and only the Department may amend', async () => {
    const body = { note: 'Sửa đổi lần 1', effectiveFrom: '01/01/2027', tasks: [{ ref: 'IV.8.1', text: 'Nội dung mới.' }] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/planning/plan/versions', headers: officer.auth, payload: body })).statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/planning/plan/versions',
      headers: dost.auth,
      payload: {
        note: '',
        effectiveFrom: '31/02/2027',
        tasks: [
          { ref: 'IV.99.1', remove: true },
          { ref: 'IV.8.9', text: 'Mới', group: '9' },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['effectiveFrom', 'note', 'tasks.0.ref', 'tasks.1.group', 'tasks.1.lead']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/planning/plan' })).json<{ versions: unknown[] }>().versions).toHaveLength(1);
  });

  it('changes, removes and adds tasks from a day on, leaving earlier rounds as they were', async () => {
    const before2026 = await refs(2026);
    const old = before2026.find((s) => s.ref === 'IV.8.1')!.text;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/planning/plan/versions',
      headers: dost.auth,
      payload: {
        note: 'Sửa đổi, bổ sung nhiệm vụ sau sắp xếp đơn vị hành chính',
        decisionRef: 'Quyết định số 15/QĐ-UBND',
        // The first day of the 2027 round's data period: a task in force for part of a period is reported for it.
        effectiveFrom: '15/12/2026',
        tasks: [
          { ref: 'IV.8.1', text: 'Mở rộng mạng lưới quan trắc tự động về không khí và nước mặt trên địa bàn tỉnh Khánh Hòa (khu vực Ninh Thuận cũ).' },
          { ref: 'II.2.6', remove: true },
          { ref: 'IV.8.3', text: 'Xây dựng mô hình dự báo ô nhiễm không khí từ dữ liệu quan trắc.', group: '4', lead: ['so-tnmt'], coordinate: ['so-khcn'] },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toEqual({ version: 2 });

    const after2026 = await refs(2026);
    expect(after2026.map((s) => s.ref)).toEqual(before2026.map((s) => s.ref));
    expect(after2026.find((s) => s.ref === 'IV.8.1')!.text).toBe(old);
    const in2027 = await refs(2027);
    expect(in2027.find((s) => s.ref === 'IV.8.1')!.text).toMatch(/^Mở rộng mạng lưới quan trắc tự động/);
    expect(in2027.map((s) => s.ref)).toContain('IV.8.3');
    expect(in2027.map((s) => s.ref)).not.toContain('II.2.6');
    expect(before2026.map((s) => s.ref)).toContain('II.2.6');

    // The consolidated reports follow the same rule.
    const annexOf = async (year: number) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${year}/consolidated.json`, headers: dost.auth }))
        .json<{ report: { annex: { slug: string; tasks: { ref: string; text: string }[] }[] } }>()
        .report.annex.find((u) => u.slug === 'so-tnmt')!.tasks;
    expect((await annexOf(2026)).map((x) => x.ref)).toContain('II.2.6');
    expect((await annexOf(2026)).find((x) => x.ref === 'IV.8.1')!.text).toBe(old);
    expect((await annexOf(2027)).map((x) => x.ref)).not.toContain('II.2.6');
    expect((await annexOf(2027)).filter((x) => x.ref === 'IV.8.1')).toHaveLength(1);
    const plan = (await t.app.inject({ method: 'GET', url: '/api/v1/planning/plan' })).json<{
      versions: { version: number; decisionRef: string }[];
      tasks: { ref: string; text: string; assignments: { org: { slug: string }; role: string }[] }[];
    }>();
    expect(plan.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(plan.versions[1]!.decisionRef).toBe('Quyết định số 15/QĐ-UBND');
    expect(plan.tasks).toHaveLength(44);
    expect(
      plan.tasks
        .find((x) => x.ref === 'IV.8.3')!
        .assignments.map((a) => `${a.org.slug}:${a.role}`)
        .sort(),
    ).toEqual(['so-khcn:coordinate', 'so-tnmt:lead']);
  });
});

describe('level by level', () => {
  it('lets a district send its report only once its communes’ reports are accepted', async () => {
    const district = 'ubnd-huyen-ninh-hai';
    const commune = (
      await sql<{
        slug: string;
        name: string;
      }>`select c.slug, c.name from organization c join organization d on d.id = c.parent_id where d.slug = ${district} order by c.slug limit 1`.execute(
        t.db.db,
      )
    ).rows[0]!;
    // A task for the district and one of its communes, in force for the 2026 round.
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/planning/plan/versions',
      headers: dost.auth,
      payload: {
        note: 'Giao nhiệm vụ cấp xã',
        effectiveFrom: '15/12/2025',
        tasks: [{ ref: 'IV.11.9', text: 'Thí điểm trợ lý ảo trả lời thủ tục hành chính cấp xã.', group: '4', lead: [district, commune.slug] }],
      },
    });
    expect(a.statusCode, a.body).toBe(201);
    const districtOfficer = await memberOf(t, 'can-bo@ninhhai.example.vn', district, 'editor');
    const communeOfficer = await memberOf(t, 'can-bo@xa.example.vn', commune.slug, 'editor');
    const complete = async (org: string, auth: Record<string, string>) => {
      const v = (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/2026/units/${org}`, headers: auth })).json<{
        sections: { ref: string }[];
        indicators: { code: string; required: boolean }[];
        reviewer: { slug: string };
      }>();
      return {
        view: v,
        body: {
          sections: Object.fromEntries(v.sections.map((s) => [s.ref, { status: 'in_progress', done: 'Đã triển khai thí điểm.' }])),
          values: Object.fromEntries(v.indicators.filter((i) => i.required).map((i) => [i.code, { value: 1 }])),
        },
      };
    };
    const d = await complete(district, districtOfficer.auth);
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/planning/reports/2026/units/${district}/submit`,
      headers: districtOfficer.auth,
      payload: d.body,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ code: string; message: string }>()).toMatchObject({ code: 'communes_pending' });
    expect(early.body).toContain(commune.name);

    const c = await complete(commune.slug, communeOfficer.auth);
    expect(c.view.reviewer.slug).toBe(district);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/planning/reports/2026/units/${commune.slug}/submit`, headers: communeOfficer.auth, payload: c.body }))
        .statusCode,
    ).toBe(200);
    // The district reviews its commune, not the Department's officer of another unit.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/planning/reports/2026/units/${commune.slug}/accept`, headers: officer.auth })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/planning/reports/2026/units/${commune.slug}/accept`, headers: districtOfficer.auth })).statusCode,
    ).toBe(200);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/planning/reports/2026/units/${district}/submit`,
      headers: districtOfficer.auth,
      payload: d.body,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
