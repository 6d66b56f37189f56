import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { memberOf } from './helpers.js';

/** Evidence files on a task's section: attached while the report is the unit's, read by its readers, refused when wrong. */
let t: TestApp;
let officer: { auth: Record<string, string> };
let outsider: { auth: Record<string, string> };
let reviewer: { auth: Record<string, string> };
const unit = '/api/v1/planning/reports/2026/units/so-tnmt';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4096, 'x'), Buffer.from('\n%%EOF\n')]);
const upload = (auth: Record<string, string>, task: string, body: Buffer, name = 'Biên bản nghiệm thu trạm.pdf') =>
  t.app.inject({
    method: 'POST',
    url: `${unit}/evidence?task=${task}&name=${encodeURIComponent(name)}`,
    headers: { ...auth, 'content-type': 'application/pdf' },
    payload: body,
  });

beforeAll(async () => {
  t = await createTestApp();
  officer = await memberOf(t, 'can-bo@sotnmt.example.vn', 'so-tnmt', 'editor');
  outsider = await memberOf(t, 'can-bo@sogtvt.example.vn', 'so-gtvt', 'editor');
  reviewer = await memberOf(t, 'chuyen-vien@sokhcn.example.vn', 'so-khcn', 'member');
});
afterAll(() => t?.close());

describe('evidence files', () => {
  let id = '';
  it('are attached to a task of the unit and listed under it', async () => {
    const r = await upload(officer.auth, 'IV.8.1', PDF);
    expect(r.statusCode, r.body).toBe(201);
    id = r.json<{ id: string }>().id;
    const view = (await t.app.inject({ method: 'GET', url: unit, headers: officer.auth })).json<{
      sections: { ref: string; files: { id: string; name: string; size: number }[] }[];
    }>();
    expect(view.sections.find((s) => s.ref === 'IV.8.1')!.files).toEqual([
      expect.objectContaining({ id, name: 'Biên bản nghiệm thu trạm.pdf', size: PDF.length }),
    ]);
  });

  it('download for the unit and the reviewing Department, byte for byte, never rendered', async () => {
    const d = await t.app.inject({ method: 'GET', url: `${unit}/evidence/${id}`, headers: reviewer.auth });
    expect(d.statusCode).toBe(200);
    expect(d.rawPayload.equals(PDF)).toBe(true);
    expect(d.headers['content-disposition']).toMatch(/^attachment;/);
    expect(d.headers['x-content-type-options']).toBe('nosniff');
    expect((await t.app.inject({ method: 'GET', url: `${unit}/evidence/${id}`, headers: outsider.auth })).statusCode).toBe(403);
  });

  it('are refused on another unit’s report, an unknown task, or past 20 MB, and nothing is kept', async () => {
    expect((await upload(outsider.auth, 'IV.8.1', PDF)).statusCode).toBe(403);
    const wrong = await upload(officer.auth, 'IV.6.1', PDF);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ field: string }>().field).toBe('task');
    // Over real HTTP: the file is streamed to storage and cut off at 20 MB.
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const big = await fetch(`${base}${unit}/evidence?task=IV.8.1&name=lon.pdf`, {
      method: 'POST',
      headers: { ...officer.auth, 'content-type': 'application/pdf' },
      body: Buffer.alloc(20 * 1024 * 1024 + 10, 1),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { field: string }).field).toBe('file');
    const view = (await t.app.inject({ method: 'GET', url: unit, headers: officer.auth })).json<{ sections: { ref: string; files: unknown[] }[] }>();
    expect(view.sections.find((s) => s.ref === 'IV.8.1')!.files).toHaveLength(1);
  });

  it('are removed while the report is the unit’s, and locked with it once sent', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: `${unit}/evidence/${id}`, headers: reviewer.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `${unit}/evidence/${id}`, headers: officer.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `${unit}/evidence/${id}`, headers: officer.auth })).statusCode).toBe(404);
    const again = await upload(officer.auth, 'IV.8.1', PDF);
    expect(again.statusCode).toBe(201);
    const v = (await t.app.inject({ method: 'GET', url: unit, headers: officer.auth })).json<{
      sections: { ref: string }[];
      indicators: { code: string; required: boolean }[];
    }>();
    const submit = await t.app.inject({
      method: 'POST',
      url: `${unit}/submit`,
      headers: officer.auth,
      payload: {
        sections: Object.fromEntries(v.sections.map((s) => [s.ref, { status: 'not_started', difficulties: 'Chưa bố trí được kinh phí.' }])),
        values: Object.fromEntries(v.indicators.filter((i) => i.required).map((i) => [i.code, { value: 1 }])),
      },
    });
    expect(submit.statusCode, submit.body).toBe(200);
    const late = await upload(officer.auth, 'IV.8.1', PDF);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe('report_submitted');
  });
});
