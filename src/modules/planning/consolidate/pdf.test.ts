import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Consolidated } from './build.js';
import { PDF_ANNEX_MAX, renderPdf } from './pdf.js';

const task = (i: number) => ({
  ref: `IV.${i}`,
  role: 'Chủ trì',
  text: 'Nhiệm vụ',
  status: 'Hoàn thành',
  done: 'Đã làm',
  results: '',
  difficulties: '',
  proposals: '',
  evidence: '',
});
const consolidated = (units: number, tasks: number): Consolidated => ({
  year: 2026,
  planTitle: 'Kế hoạch',
  regime: {
    code: 'r',
    name: 'Báo cáo hằng năm',
    frequency: 'annual',
    periodFrom: '2025-12-15',
    periodTo: '2026-12-14',
    deadline: '2026-11-15',
    receiver: 'Sở KH&CN',
    senders: 'các đơn vị',
  },
  parentIssuer: 'UBND TỈNH NINH THUẬN',
  issuer: 'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
  numberSymbol: '1/BC-SKHCN',
  place: 'Ninh Thuận',
  docDate: null,
  placeDate: 'Ninh Thuận, ngày     tháng     năm     ',
  subtitle: 'năm 2026',
  summary: '',
  assessment: '',
  recommendations: '',
  recipients: [],
  signerTitle: 'GIÁM ĐỐC',
  signerName: '',
  finalised: false,
  counts: { units, accepted: units, pending: 0, missing: 0 },
  byGroup: [],
  byUnit: [],
  indicators: [],
  difficulties: [],
  proposals: [],
  units: Array.from({ length: units }, (_, u) => ({
    name: `Đơn vị ${u + 1}`,
    slug: `u${u}`,
    reportStatus: 'Đã chấp nhận',
    tasks: Array.from({ length: tasks }, (_, i) => task(i)),
  })),
});
const text = (pdf: Buffer) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-')), 'r.pdf');
  fs.writeFileSync(f, pdf);
  return execFileSync('pdftotext', ['-layout', f, '-']).toString();
};

describe('the PDF annex', () => {
  it('prints every answer up to the limit', async () => {
    const c = consolidated(2, 3);
    c.difficulties = [{ unit: 'Đơn vị 1', ref: 'IV.0', text: 'Thiếu kinh phí đặc thù' }];
    const t = text(await renderPdf(c));
    expect(t).toContain('Thiếu kinh phí đặc thù');
    expect(t).toContain('PHỤ LỤC: BÁO CÁO CỦA CÁC ĐƠN VỊ');
    expect(t).toContain('Đơn vị 2 — Đã chấp nhận');
  });

  it('past the limit counts units per task and says where their words are', async () => {
    const c = consolidated(PDF_ANNEX_MAX + 1, 1);
    c.difficulties = [
      { unit: 'Đơn vị 1', ref: 'IV.0', text: 'Thiếu kinh phí đặc thù' },
      { unit: 'Đơn vị 2', ref: 'IV.0', text: 'Thiếu nhân lực đặc thù' },
    ];
    const t = text(await renderPdf(c));
    expect(t).not.toContain('PHỤ LỤC: BÁO CÁO CỦA CÁC ĐƠN VỊ');
    expect(t).not.toContain('Thiếu kinh phí đặc thù');
    expect(t).toMatch(/IV\.0\s+2/);
    expect(t.replace(/\s+/g, ' ')).toContain('Nội dung khó khăn, vướng mắc của từng đơn vị có trong tệp Word');
    expect(t.replace(/\s+/g, ' ')).toContain(`báo cáo chi tiết của ${(PDF_ANNEX_MAX + 1).toLocaleString('vi-VN')} đơn vị`);
  });
});
