import path from 'node:path';
import PDFDocument from 'pdfkit';
import { ROOT } from '../../../platform/root.js';
import type { Consolidated } from './build.js';

/**
 * The consolidated report as PDF in the layout of Nghị định 30/2020/NĐ-CP (A4; margins 20 mm top
 * and bottom, 30 mm left, 15 mm right; a Times New Roman-metric font): pdfkit, with Tinos (the
 * croscore font metric-compatible with Times New Roman, every Vietnamese glyph in one file)
 * shipped in data/fonts under the OFL, so the PDF looks the same on any server.
 */
const FONTS = {
  regular: 'Tinos-Regular.ttf',
  bold: 'Tinos-Bold.ttf',
  italic: 'Tinos-Italic.ttf',
  boldItalic: 'Tinos-BoldItalic.ttf',
} as const;
/**
 * Each font is registered under its own path: pdfkit's tables switch a cell's font and then back
 * to the document's by its source path, and pdfkit caches a font only under the name it was
 * asked by, so under any other name every table cell reopened the font file (ten times slower).
 */
const FONT = Object.fromEntries(Object.entries(FONTS).map(([k, f]) => [k, path.join(ROOT, 'data/fonts', f)])) as Record<keyof typeof FONTS, string>;
const MM = 72 / 25.4;

/**
 * Every unit's own words — the annex of answers task by task, and the difficulties and proposals
 * item by item — are printed up to this many answers (about 300 pages). Past it the PDF counts the
 * units per task and says the words are in the DOCX and the JSON: pdfkit lays out about two million
 * characters a second, and 300 units of 60 tasks make some twenty million (thousands of pages,
 * 15 s in bench/planning-consolidate), which nobody reads as a PDF.
 */
export const PDF_ANNEX_MAX = 2000;

type Doc = InstanceType<typeof PDFDocument>;

function statusChart(doc: Doc, c: Consolidated, width: number): void {
  // Stacked bars per content group: done, in progress, not started, overdue, not reported.
  const parts = [
    ['done', '#2e7d32', 'Hoàn thành'],
    ['inProgress', '#1565c0', 'Đang triển khai'],
    ['notStarted', '#9e9e9e', 'Chưa triển khai'],
    ['overdue', '#c62828', 'Quá hạn'],
    ['unreported', '#e0e0e0', 'Chưa báo cáo'],
  ] as const;
  const label = 150;
  const barW = width - label;
  const rowH = 14;
  const max = Math.max(1, ...c.byGroup.map((g) => g.tasks));
  let y = doc.y + 4;
  doc.font(FONT.regular).fontSize(10);
  for (const g of c.byGroup) {
    doc.fillColor('black').text(g.title, doc.page.margins.left, y + 2, { width: label - 6, height: rowH, ellipsis: true, lineBreak: false });
    let x = doc.page.margins.left + label;
    for (const [key, color] of parts) {
      const w = (g[key] / max) * barW;
      if (w > 0) doc.rect(x, y, w, rowH - 3).fill(color);
      x += w;
    }
    y += rowH;
  }
  let x = doc.page.margins.left + label;
  y += 4;
  for (const [, color, name] of parts) {
    doc.rect(x, y + 2, 8, 8).fill(color);
    doc.fillColor('black').text(name, x + 11, y + 1, { lineBreak: false });
    x += 11 + doc.widthOfString(name) + 12;
  }
  doc.x = doc.page.margins.left;
  doc.y = y + 18;
}

/** Renders the report into a PDF buffer. */
export async function renderPdf(c: Consolidated, opts: { annex?: boolean } = {}): Promise<Buffer> {
  const answers = c.units.reduce((n, u) => n + u.tasks.length, 0);
  const annex = opts.annex ?? answers <= PDF_ANNEX_MAX;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
    info: { Title: `Báo cáo ${c.subtitle}`, Author: c.issuer, Subject: c.regime.name },
    lang: 'vi-VN',
    bufferPages: false,
  });
  for (const file of Object.values(FONT)) doc.registerFont(file, file);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const colL = width * 0.42;
  const colR = width - colL;
  const top = doc.y;

  // Issuing body (left) and national motto (right), as the decree's Phụ lục I draws them.
  doc.font(FONT.regular).fontSize(13).text(c.parentIssuer, left, top, { width: colL, align: 'center' });
  doc.font(FONT.bold).text(c.issuer, { width: colL, align: 'center' });
  const leftEnd = doc.y;
  doc
    .moveTo(left + colL * 0.3, leftEnd + 1)
    .lineTo(left + colL * 0.7, leftEnd + 1)
    .lineWidth(0.5)
    .stroke();
  doc.font(FONT.regular).text(`Số: ${c.numberSymbol}`, left, leftEnd + 8, { width: colL, align: 'center' });
  doc
    .font(FONT.bold)
    .fontSize(12.5)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', left + colL, top, { width: colR, align: 'center' });
  doc.fontSize(13.5).text('Độc lập - Tự do - Hạnh phúc', { width: colR, align: 'center' });
  const mottoW = doc.widthOfString('Độc lập - Tự do - Hạnh phúc');
  const mottoEnd = doc.y;
  doc
    .moveTo(left + colL + (colR - mottoW) / 2, mottoEnd + 1)
    .lineTo(left + colL + (colR + mottoW) / 2, mottoEnd + 1)
    .stroke();
  doc
    .font(FONT.italic)
    .fontSize(13.5)
    .text(c.placeDate, left + colL, mottoEnd + 8, { width: colR, align: 'center' });

  doc.x = left;
  doc.y = Math.max(doc.y, leftEnd + 30) + 18;
  doc.font(FONT.bold).fontSize(14).text('BÁO CÁO', left, doc.y, { width, align: 'center' });
  doc.text(c.subtitle, { width, align: 'center' });
  doc.moveDown(1);

  const heading = (t: string) => {
    doc.moveDown(0.4);
    doc.font(FONT.bold).fontSize(14).text(t, left, doc.y, { width });
    doc.moveDown(0.2);
  };
  const para = (t: string) => {
    if (!t) return;
    for (const p of t.split(/\n+/))
      doc
        .font(FONT.regular)
        .fontSize(14)
        .text(p, left, doc.y, { width, align: 'justify', indent: 15 * MM * 0.66, paragraphGap: 4 });
  };
  const table = (headers: string[], rows: (string | number)[][], widths: number[]) => {
    doc.font(FONT.regular).fontSize(11);
    doc.table({
      position: { x: left, y: doc.y },
      maxWidth: width,
      columnStyles: widths.map((w) => w * width),
      defaultStyle: { padding: [2, 3, 2, 3] as never, border: 0.5 },
      data: [
        headers.map((h) => ({ text: h, font: { src: FONT.bold }, backgroundColor: '#e7e6e6', align: 'center' as const, type: 'TH' as const })),
        ...rows.map((r) => r.map((v) => String(v))),
      ],
    });
    doc.x = left;
    doc.moveDown(0.5);
  };

  heading('I. TÌNH HÌNH CHUNG');
  para(c.summary);
  para(
    `Số đơn vị phải báo cáo: ${c.counts.units}; đã được chấp nhận: ${c.counts.accepted}; đang xem xét hoặc trả lại: ${c.counts.pending}; chưa báo cáo: ${c.counts.missing}.`,
  );
  heading('II. KẾT QUẢ THỰC HIỆN THEO NHÓM NỘI DUNG');
  statusChart(doc, c, width);
  table(
    ['Nhóm nội dung', 'Số nhiệm vụ', 'Hoàn thành', 'Đang triển khai', 'Chưa triển khai', 'Quá hạn', 'Chưa báo cáo'],
    c.byGroup.map((g) => [g.title, g.tasks, g.done, g.inProgress, g.notStarted, g.overdue, g.unreported]),
    [0.34, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11],
  );
  heading('III. KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ');
  table(
    ['Đơn vị', 'Tình trạng báo cáo', 'Số nhiệm vụ', 'Hoàn thành', 'Đang triển khai', 'Chưa triển khai', 'Quá hạn'],
    c.byUnit.map((u) => [u.name, u.reportStatus, u.tasks, u.done, u.inProgress, u.notStarted, u.overdue]),
    [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1],
  );
  heading('IV. CÁC CHỈ TIÊU');
  table(
    ['Mã', 'Chỉ tiêu', 'Đơn vị tính', 'Mục tiêu', 'Thực hiện', 'Đánh giá'],
    c.indicators.map((i) => [i.code, i.name, i.unit, i.target, i.value, i.assessment]),
    [0.08, 0.4, 0.13, 0.12, 0.12, 0.15],
  );
  heading('V. ĐÁNH GIÁ CHUNG');
  para(c.assessment);
  // Each unit's words up to the annex's limit; past it, how many units raised each task (the
  // words are in the DOCX and the JSON).
  const collected = (items: Consolidated['difficulties'], what: string) => {
    if (annex) {
      for (const d of items) para(`- ${d.unit} (nhiệm vụ ${d.ref}): ${d.text}`);
      return;
    }
    const units = new Map<string, Set<string>>();
    for (const d of items) units.set(d.ref, (units.get(d.ref) ?? new Set()).add(d.unit));
    table(
      ['Nhiệm vụ', `Số đơn vị nêu ${what}`],
      [...units].map(([ref, u]) => [ref, u.size]),
      [0.5, 0.5],
    );
    para(`Nội dung ${what} của từng đơn vị có trong tệp Word (DOCX) và tệp dữ liệu (JSON) của báo cáo này.`);
  };
  heading('VI. KHÓ KHĂN, VƯỚNG MẮC');
  collected(c.difficulties, 'khó khăn, vướng mắc');
  heading('VII. ĐỀ XUẤT, KIẾN NGHỊ');
  para(c.recommendations);
  collected(c.proposals, 'đề xuất, kiến nghị');

  // Recipients (left) and the signature block (right).
  doc.moveDown(1);
  if (doc.y > doc.page.height - doc.page.margins.bottom - 120) doc.addPage();
  const y0 = doc.y;
  doc
    .font(FONT.boldItalic)
    .fontSize(12)
    .text('Nơi nhận:', left, y0, { width: width / 2 });
  doc.font(FONT.regular).fontSize(11);
  for (const r of c.recipients) doc.text(`- ${r};`, { width: width / 2 });
  doc
    .font(FONT.bold)
    .fontSize(14)
    .text(c.signerTitle, left + width / 2, y0, { width: width / 2, align: 'center' });
  doc.moveDown(4);
  doc.text(c.signerName, left + width / 2, doc.y, { width: width / 2, align: 'center' });

  if (!annex) {
    doc.moveDown(2);
    doc
      .font(FONT.italic)
      .fontSize(12)
      .text(
        `Phụ lục: báo cáo chi tiết của ${c.units.length.toLocaleString('vi-VN')} đơn vị (${answers.toLocaleString('vi-VN')} nội dung trả lời theo nhiệm vụ) có trong tệp Word (DOCX) và tệp dữ liệu (JSON) của báo cáo này.`,
        left,
        doc.y,
        { width },
      );
    doc.end();
    return done;
  }
  // Annex: every unit's answers, task by task.
  doc.addPage();
  doc.font(FONT.bold).fontSize(14).text('PHỤ LỤC: BÁO CÁO CỦA CÁC ĐƠN VỊ', left, doc.y, { width, align: 'center' });
  doc.moveDown(0.5);
  for (const u of c.units) {
    doc.font(FONT.bold).fontSize(13).text(`${u.name} — ${u.reportStatus}`, left, doc.y, { width });
    for (const t of u.tasks) {
      doc.font(FONT.bold).fontSize(12).text(`Nhiệm vụ ${t.ref} (${t.role}): `, left, doc.y, { width, continued: true });
      doc.font(FONT.italic).text(t.text);
      doc
        .font(FONT.regular)
        .fontSize(12)
        .text(
          `Trạng thái: ${t.status}. Đã thực hiện: ${t.done} Kết quả: ${t.results} Khó khăn: ${t.difficulties} Đề xuất: ${t.proposals} Minh chứng: ${t.evidence}`,
          left,
          doc.y,
          {
            width,
            indent: 10 * MM,
            paragraphGap: 3,
          },
        );
    }
    doc.moveDown(0.4);
  }
  doc.end();
  return done;
}
