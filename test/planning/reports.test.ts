import { sql } from 'kysely';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/platform/audit/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { memberOf } from './helpers.js';

/**
 * The annual report cycle end to end through the API: a unit officer drafts, submits incomplete
 * (refused, every missing field named), submits; the Department returns it with reasons, the
 * officer resubmits, the Department accepts and the report locks; the consolidated report then
 * carries the unit's answers in DOCX, PDF and JSON.
 */
let t: TestApp;
let officer: { auth: Record<string, string>; id: string };
let reviewer: { auth: Record<string, string> };
let outsider: { auth: Record<string, string> };
const YEAR = 2026;
const unitUrl = (org: string) => `/api/v1/planning/reports/${YEAR}/units/${org}`;

beforeAll(async () => {
  t = await createTestApp();
  officer = await memberOf(t, 'can-bo@sotnmt.example.vn', 'so-tnmt', 'editor');
  reviewer = await memberOf(t, 'chuyen-vien@sokhcn.example.vn', 'so-khcn', 'editor');
  outsider = await memberOf(t, 'can-bo@sogtvt.example.vn', 'so-gtvt', 'editor');
});
afterAll(() => t?.close());

describe('the plan as reference data', () => {
  it('ships every task of the 2023 plan under the units its text names', async () => {
    const plan = (await t.app.inject({ method: 'GET', url: '/api/v1/planning/plan' })).json<{
      tasks: { ref: string; text: string; assignments: { org: { slug: string }; role: string }[] }[];
      indicators: { code: string; targets: Record<string, number> }[];
      groups: unknown[];
    }>();
    expect(plan.tasks).toHaveLength(44);
    expect(plan.groups).toHaveLength(6);
    const units = (ref: string, role = 'lead') =>
      plan.tasks
        .find((x) => x.ref === ref)!
        .assignments.filter((a) => a.role === role)
        .map((a) => a.org.slug)
        .sort();
    expect(units('IV.8.1')).toEqual(['so-tnmt']);
    expect(units('IV.6.1')).toEqual(['so-gtvt']);
    expect(units('IV.10.1')).toEqual(['bao-ninh-thuan', 'dai-ptth-ninh-thuan']);
    expect(units('II.2.3')).toEqual(['so-tttt']);
    expect(units('IV.11.2')).toHaveLength(7);
    expect(units('IV.11.2').every((s) => s.startsWith('ubnd-'))).toBe(true);
    expect(plan.tasks.find((x) => x.ref === 'IV.8.1')!.text).toMatch(/^Xây dựng và mở rộng mạng lưới quan trắc chất lượng môi trường không khí, nước mặt/);
    const qg = (code: string) => plan.indicators.find((i) => i.code === code)!.targets;
    expect(qg('QG-01')).toEqual({ 2025: 5, 2030: 4 });
    expect(qg('QG-07')).toEqual({ 2030: 50 });
  });

  it('has an annual round for each year of the plan, due 15 November, cut off 15/12 to 14/12', async () => {
    const o = (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}`, headers: reviewer.auth })).json<{
      deadline: string;
      units: { slug: string; status: string }[];
    }>();
    expect(o.deadline).toBe('2026-11-15');
    expect(o.units.length).toBeGreaterThan(15);
    expect(o.units.every((u) => u.status === 'not_started')).toBe(true);
    const r = (await t.app.inject({ method: 'GET', url: unitUrl('so-tnmt'), headers: officer.auth })).json<{
      round: { periodFrom: string; periodTo: string };
    }>();
    expect(r.round).toMatchObject({ periodFrom: '2025-12-15', periodTo: '2026-12-14' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/planning/reports/2031', headers: reviewer.auth })).statusCode).toBe(404);
  });
});

describe('a unit report from draft to accepted', () => {
  it('keeps a draft and refuses bad input naming the field, changing nothing', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: unitUrl('so-tnmt'),
      headers: officer.auth,
      payload: { sections: { 'IV.8.1': { status: 'xong', evidence: [{ url: 'javascript:alert(1)' }] } }, values: {} },
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['sections.IV.8.1.status', 'sections.IV.8.1.evidence']));
    const foreign = await t.app.inject({
      method: 'PUT',
      url: unitUrl('so-tnmt'),
      headers: officer.auth,
      payload: { sections: { 'IV.6.1': { status: 'done' } } },
    });
    expect(foreign.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: unitUrl('so-tnmt'), headers: officer.auth })).json<{ status: string }>().status).toBe('not_started');

    const ok = await t.app.inject({
      method: 'PUT',
      url: unitUrl('so-tnmt'),
      headers: officer.auth,
      payload: { sections: { 'IV.8.1': { status: 'in_progress', done: 'Lắp đặt 3 trạm quan trắc không khí tự động tại Phan Rang – Tháp Chàm.' } } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ status: string }>().status).toBe('draft');
  });

  it('refuses to submit an incomplete report, naming every missing field', async () => {
    const r = await t.app.inject({ method: 'POST', url: `${unitUrl('so-tnmt')}/submit`, headers: officer.auth, payload: {} });
    expect(r.statusCode).toBe(422);
    const fields = r.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    // Every other task of the unit has no status yet.
    expect(fields.length).toBeGreaterThan(3);
    expect(fields.some((f) => f.endsWith('.status'))).toBe(true);
    expect(fields).not.toContain('sections.IV.8.1.status');
  });

  it('submits when complete; then the unit cannot change it', async () => {
    const view = (await t.app.inject({ method: 'GET', url: unitUrl('so-tnmt'), headers: officer.auth })).json<{
      sections: { ref: string }[];
      indicators: { code: string; required: boolean }[];
    }>();
    const sections = Object.fromEntries(
      view.sections.map((s) => [
        s.ref,
        s.ref === 'IV.8.1'
          ? { status: 'in_progress', done: 'Lắp đặt 3 trạm quan trắc không khí tự động tại Phan Rang – Tháp Chàm.', difficulties: 'Thiếu kinh phí vận hành.' }
          : { status: 'not_started', difficulties: 'Chưa bố trí được nhân lực.' },
      ]),
    );
    const values = Object.fromEntries(view.indicators.filter((i) => i.required).map((i) => [i.code, { value: '1.234,5' }]));
    const r = await t.app.inject({ method: 'POST', url: `${unitUrl('so-tnmt')}/submit`, headers: officer.auth, payload: { sections, values } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ status: string }>().status).toBe('submitted');
    const again = await t.app.inject({
      method: 'PUT',
      url: unitUrl('so-tnmt'),
      headers: officer.auth,
      payload: { sections: { 'IV.8.1': { status: 'done' } } },
    });
    expect(again.statusCode).toBe(409);
  });

  it('lets only the reviewing Department return or accept it', async () => {
    expect((await t.app.inject({ method: 'POST', url: `${unitUrl('so-tnmt')}/accept`, headers: officer.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: unitUrl('so-tnmt'), headers: outsider.auth })).statusCode).toBe(403);
    const noReason = await t.app.inject({ method: 'POST', url: `${unitUrl('so-tnmt')}/return`, headers: reviewer.auth, payload: {} });
    expect(noReason.statusCode).toBe(400);
    const r = await t.app.inject({
      method: 'POST',
      url: `${unitUrl('so-tnmt')}/return`,
      headers: reviewer.auth,
      payload: { reason: 'Bổ sung kết quả cụ thể.', sections: { 'IV.8.1': 'Nêu số trạm đã truyền dữ liệu về Sở.' } },
    });
    expect(r.statusCode, r.body).toBe(200);
    const back = (await t.app.inject({ method: 'GET', url: unitUrl('so-tnmt'), headers: officer.auth })).json<{
      status: string;
      returnReason: string;
      can: { edit: boolean };
      sections: { ref: string; returnReason: string | null; done: string | null }[];
    }>();
    expect(back.status).toBe('returned');
    expect(back.returnReason).toBe('Bổ sung kết quả cụ thể.');
    expect(back.can.edit).toBe(true);
    expect(back.sections.find((s) => s.ref === 'IV.8.1')).toMatchObject({
      returnReason: 'Nêu số trạm đã truyền dữ liệu về Sở.',
      done: expect.stringContaining('3 trạm'),
    });
  });

  it('accepts the resubmission and locks the report; every step is audited with the values changed', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `${unitUrl('so-tnmt')}/submit`,
      headers: officer.auth,
      payload: {
        sections: {
          'IV.8.1': {
            status: 'done',
            done: 'Lắp đặt 3 trạm quan trắc không khí tự động tại Phan Rang – Tháp Chàm.',
            results: '3 trạm truyền dữ liệu trực tiếp về Sở qua SensorThings API.',
            proposals: 'Đề nghị bố trí kinh phí mở rộng mạng lưới quan trắc nước mặt.',
            evidence: [{ label: 'Bản đồ trạm', url: 'https://tinhso.example.vn/environment' }],
          },
        },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const ok = await t.app.inject({ method: 'POST', url: `${unitUrl('so-tnmt')}/accept`, headers: reviewer.auth });
    expect(ok.statusCode).toBe(200);
    const locked = await t.app.inject({ method: 'PUT', url: unitUrl('so-tnmt'), headers: officer.auth, payload: {} });
    expect(locked.statusCode).toBe(409);
    expect(locked.json<{ code: string }>().code).toBe('report_locked');
    const events = (await t.app.inject({ method: 'GET', url: unitUrl('so-tnmt'), headers: officer.auth }))
      .json<{ events: { action: string }[] }>()
      .events.map((e) => e.action);
    expect(events).toEqual(['saved', 'submitted', 'returned', 'resubmitted', 'accepted']);
    const audit = (await listAudit(t.db.db, { entityType: 'plan_report', limit: 20 })).map((a) => ({
      action: a.action,
      details: a.details,
      actorId: a.actor_id,
    }));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['planning.report.save', 'planning.report.submit', 'planning.report.return', 'planning.report.accept']),
    );
    const resubmit = audit.filter((a) => a.action === 'planning.report.submit').find((a) => JSON.stringify(a.details).includes('results'));
    expect(resubmit?.details).toMatchObject({
      changes: expect.arrayContaining([expect.objectContaining({ field: 'sections.IV.8.1.status', from: 'in_progress', to: 'done' })]),
    });
    expect(resubmit?.actorId).toBe(officer.id);
  });
});

describe('the consolidated report', () => {
  it('is for the Department only', async () => {
    for (const f of ['docx', 'pdf', 'json']) {
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/consolidated.${f}` })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/consolidated.${f}`, headers: officer.auth })).statusCode).toBe(403);
    }
  });

  it('takes the Department’s text and particulars, checked', async () => {
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/planning/reports/${YEAR}/consolidated`,
      headers: reviewer.auth,
      payload: { docDate: '31/02/2026' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('docDate');
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/planning/reports/${YEAR}/consolidated`,
      headers: reviewer.auth,
      payload: {
        numberSymbol: '215/BC-SKHCN',
        docDate: '20/11/2026',
        summary: 'Năm 2026, các sở, ngành và địa phương tiếp tục triển khai Kế hoạch ứng dụng trí tuệ nhân tạo.',
        recipients: ['Bộ Khoa học và Công nghệ', 'Thường trực UBND tỉnh', 'Lưu: VT, QLKH'],
        signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
        signerName: 'Nguyễn Văn Thành',
      },
    });
    expect(r.statusCode, r.body).toBe(204);
  });

  it('downloads as DOCX whose text carries the motto, the unit’s answers and the indicator table', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/consolidated.docx`, headers: reviewer.auth });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('wordprocessingml');
    const text = (await mammoth.extractRawText({ buffer: r.rawPayload })).value;
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('Số: 215/BC-SKHCN');
    expect(text).toContain('Ninh Thuận, ngày 20 tháng 11 năm 2026');
    expect(text).toContain('3 trạm truyền dữ liệu trực tiếp về Sở qua SensorThings API.');
    expect(text).toContain('Đề nghị bố trí kinh phí mở rộng mạng lưới quan trắc nước mặt.');
    expect(text).toContain('Xếp hạng của Việt Nam trong ASEAN về nghiên cứu, phát triển và ứng dụng TTNT');
    expect(text).toContain('Nguyễn Văn Thành');
    expect(text).toMatch(/Số đơn vị phải báo cáo: \d+; đã được chấp nhận: 1; đang xem xét hoặc trả lại: 0; chưa báo cáo: \d+\./);
    // A unit that has not reported is listed with its tasks.
    expect(text).toMatch(/Sở Giao thông vận tải — Chưa báo cáo/);
    expect(text).toContain('Thu thập, tích hợp dữ liệu cơ sở hạ tầng giao thông');
    // Layout: A4, the decree's margins, Times New Roman.
    const zip = new PizZip(r.rawPayload);
    const xml = zip.file('word/document.xml')!.asText();
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(xml).toMatch(/w:top="1134" w:right="851" w:bottom="1134" w:left="1701"/);
    expect(zip.file('word/styles.xml')!.asText()).toContain('w:ascii="Times New Roman"');
  });

  it('downloads as PDF whose text (pdftotext) is correct Vietnamese', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/consolidated.pdf`, headers: reviewer.auth });
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-pdf-'));
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, r.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    fs.rmSync(dir, { recursive: true });
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('3 trạm truyền dữ liệu trực tiếp về Sở qua SensorThings API.');
    expect(text).toContain('Sở Tài nguyên và Môi trường');
    expect(text).toContain('Xếp hạng của Việt Nam trong ASEAN');
    expect(text).toContain('Nơi nhận:');
    const pages = execFileSync('pdfinfo', ['-'], { input: r.rawPayload, encoding: 'utf8' });
    expect(pages).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(execFileSync('pdffonts', ['-'], { input: r.rawPayload, encoding: 'utf8' })).toContain('Tinos');
  });

  it('exports JSON for the ministry with the regime, status, signers and indicators', async () => {
    const j = (await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/consolidated.json`, headers: reviewer.auth })).json<{
      regime: { period: { from: string; to: string }; deadline: string };
      status: string;
      signers: { name: string }[];
      indicators: { code: string; value: number | null; target: number | null }[];
      report: { units: { accepted: number }; byUnit: { slug: string; done: number }[] };
    }>();
    expect(j.regime.period).toEqual({ from: '2025-12-15', to: '2026-12-14' });
    expect(j.status).toBe('draft');
    expect(j.signers[0]!.name).toBe('Nguyễn Văn Thành');
    expect(j.report.units.accepted).toBe(1);
    expect(j.report.byUnit.find((u) => u.slug === 'so-tnmt')?.done).toBe(1);
    expect(j.indicators.find((i) => i.code === 'QG-01')).toMatchObject({ target: null });
  });

  it('is built from a Word template the Department replaces, refusing one that does not read', async () => {
    const url = `/api/v1/planning/reports/${YEAR}/template.docx`;
    const bad = await t.app.inject({
      method: 'PUT',
      url,
      headers: { ...reviewer.auth, 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      payload: Buffer.from('not a zip'),
    });
    expect(bad.statusCode).toBe(400);
    // A small zip that unpacks to 60 MB (a zip bomb) is refused before it is inflated.
    const bomb = new PizZip();
    bomb.file('word/document.xml', ' '.repeat(60 * 1024 * 1024));
    const bombed = await t.app.inject({
      method: 'PUT',
      url,
      headers: { ...reviewer.auth, 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      payload: bomb.generate({ type: 'nodebuffer', compression: 'DEFLATE' }),
    });
    expect(bombed.statusCode).toBe(400);
    expect(bombed.json<{ code: string }>().code).toBe('template_too_large');
    const tpl = new PizZip((await t.app.inject({ method: 'GET', url, headers: reviewer.auth })).rawPayload);
    const xml = tpl.file('word/document.xml')!.asText().replace('BÁO CÁO', 'BÁO CÁO TỔNG HỢP RIÊNG');
    tpl.file('word/document.xml', xml);
    const mine = tpl.generate({ type: 'nodebuffer' });
    const put = await t.app.inject({
      method: 'PUT',
      url,
      headers: { ...reviewer.auth, 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      payload: mine,
    });
    expect(put.statusCode, put.body).toBe(204);
    const docx = await t.app.inject({ method: 'GET', url: `/api/v1/planning/reports/${YEAR}/consolidated.docx`, headers: reviewer.auth });
    expect((await mammoth.extractRawText({ buffer: docx.rawPayload })).value).toContain('BÁO CÁO TỔNG HỢP RIÊNG');
    expect((await t.app.inject({ method: 'DELETE', url, headers: reviewer.auth })).statusCode).toBe(204);
  });

  it('finalises only with its date and signer, and then refuses edits until reopened', async () => {
    const f = await t.app.inject({ method: 'PATCH', url: `/api/v1/planning/reports/${YEAR}/consolidated`, headers: reviewer.auth, payload: { final: true } });
    expect(f.statusCode).toBe(204);
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/planning/reports/${YEAR}/consolidated`,
      headers: reviewer.auth,
      payload: { summary: 'x' },
    });
    expect(edit.statusCode).toBe(409);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/v1/planning/reports/${YEAR}/consolidated`, headers: reviewer.auth, payload: { final: false } }))
        .statusCode,
    ).toBe(204);
    const noDate = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/planning/reports/${YEAR}/consolidated`,
      headers: reviewer.auth,
      payload: { docDate: '', final: true },
    });
    expect(noDate.statusCode).toBe(422);
  });

  it('is sent, once final, as an electronic document with the PDF and the DOCX attached', async () => {
    await sql`update organization set organ_code = '000.00.20.H58' where slug = 'so-khcn'`.execute(t.db.db);
    await sql`update organization set organ_code = '000.00.15.H58' where slug = 'so-tnmt'`.execute(t.db.db);
    const url = `/api/v1/planning/reports/${YEAR}/consolidated/send`;
    const early = await t.app.inject({ method: 'POST', url, headers: reviewer.auth, payload: { to: ['000.00.15.H58'] } });
    expect(early.statusCode).toBe(400);
    expect(early.json<{ field: string }>().field).toBe('final');
    const fin = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/planning/reports/${YEAR}/consolidated`,
      headers: reviewer.auth,
      payload: { docDate: '20/11/2026', final: true },
    });
    expect(fin.statusCode, fin.body).toBe(204);
    expect((await t.app.inject({ method: 'POST', url, headers: officer.auth, payload: { to: ['000.00.15.H58'] } })).statusCode).toBe(403);
    const r = await t.app.inject({ method: 'POST', url, headers: reviewer.auth, payload: { to: ['000.00.15.H58'] } });
    expect(r.statusCode, r.body).toBe(201);
    const { documentId } = r.json<{ documentId: string }>();
    expect(documentId).toMatch(/^000\.00\.20\.H58,2026\/11\/20,215\/BC-SKHCN$/);
    // Delivered in-process to the recipient's inbox, with both files.
    let inbox: { id: string; subject: string } | undefined;
    for (let i = 0; i < 100 && !inbox; i++) {
      inbox = (
        await sql<{ id: string; subject: string }>`select d.id, d.subject from doc_document d join organization o on o.id = d.org_id
          where d.box = 'inbox' and o.slug = 'so-tnmt' and d.document_id = ${documentId}`.execute(t.db.db)
      ).rows[0];
      if (!inbox) await new Promise((res) => setTimeout(res, 100));
    }
    expect(inbox?.subject).toContain('Báo cáo');
    const names = (await sql<{ name: string }>`select name from doc_attachment where document = ${inbox!.id} order by name`.execute(t.db.db)).rows.map(
      (x) => x.name,
    );
    expect(names).toEqual(['bao-cao-tong-hop-ttnt-2026.docx', 'bao-cao-tong-hop-ttnt-2026.pdf']);
  });

  it('shows the Department each indicator against its target year by year', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/plan/reports/${YEAR}`, headers: reviewer.auth });
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="hist-h"'), page.body.indexOf('id="con-h"'));
    expect(section).toContain('Chỉ tiêu qua các năm');
    for (const y of ['2023', '2024', '2025', '2026']) expect(section).toContain(`<th scope="col">${y}</th>`);
    const rows = section.split('<tr>').slice(2);
    expect(rows).toHaveLength(14);
    // QG-01's targets: 5th in ASEAN by 2025 (no value reported), none for the other years.
    const qg01 = rows
      .find((r) => r.includes('QG-01'))!
      .split('<td>')
      .slice(1);
    expect(qg01[2]!.replace(/\s+/g, ' ')).toContain('— / 5');
    expect(qg01[0]!.split('</td>')[0]).not.toContain('/');
    expect((await t.app.inject({ method: 'GET', url: `/plan/reports/${YEAR}`, headers: officer.auth })).statusCode).toBe(403);
  });
});
