import fs from 'node:fs';
import path from 'node:path';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import PDFDocument from 'pdfkit';
import type * as Auth from '../src/platform/auth/index.js';
import type * as Db from '../src/platform/db/index.js';
import type * as Planning from '../src/modules/planning/index.js';
import { built, ROOT } from './lib.js';

/**
 * A baseline render of the consolidated report in its own process, so its peak memory is its own
 * (bench/planning-consolidate.ts runs ours in plain node on the build): `node --import tsx
 * bench/planning-render.ts MODE DATABASE_URL YEAR`. Modes, over the same data as ours:
 * `docx-package` (the document built element by element with the docx package) and `pdfkit-text`
 * (the same text as plain paragraphs, no tables).
 */
type Mode = 'docx-package' | 'pdfkit-text';
type Data = Awaited<ReturnType<typeof Planning.buildConsolidated>>;

function docxPackage(c: Data): Promise<Buffer> {
  const p = (text: string, o: { bold?: boolean; italics?: boolean; center?: boolean } = {}) =>
    new Paragraph({
      alignment: o.center ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
      children: [new TextRun({ text, bold: o.bold, italics: o.italics, font: 'Times New Roman', size: 26 })],
    });
  const table = (head: string[], rows: string[][]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [head, ...rows].map((r, i) => new TableRow({ children: r.map((x) => new TableCell({ children: [p(x, { bold: i === 0 })] })) })),
    });
  const children: (Paragraph | Table)[] = [
    p(c.parentIssuer, { center: true }),
    p(c.issuer, { bold: true, center: true }),
    p('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, center: true }),
    p('Độc lập - Tự do - Hạnh phúc', { bold: true, center: true }),
    p(c.placeDate, { italics: true, center: true }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: 'BÁO CÁO', bold: true })] }),
    p(c.subtitle, { bold: true, center: true }),
    p(c.summary),
    table(
      ['Nhóm', 'Nhiệm vụ', 'Hoàn thành', 'Đang triển khai', 'Chưa triển khai', 'Quá hạn', 'Chưa báo cáo'],
      c.byGroup.map((g) => [g.title, g.tasks, g.done, g.inProgress, g.notStarted, g.overdue, g.unreported].map(String)),
    ),
    table(
      ['Đơn vị', 'Tình trạng', 'Nhiệm vụ', 'Hoàn thành'],
      c.byUnit.map((u) => [u.name, u.reportStatus, String(u.tasks), String(u.done)]),
    ),
    table(
      ['Mã', 'Chỉ tiêu', 'Đơn vị', 'Mục tiêu', 'Kết quả', 'Đánh giá'],
      c.indicators.map((i) => [i.code, i.name, i.unit, i.target, i.value, i.assessment]),
    ),
    ...c.difficulties.map((d) => p(`- ${d.unit} (nhiệm vụ ${d.ref}): ${d.text}`)),
    ...c.proposals.map((d) => p(`- ${d.unit} (nhiệm vụ ${d.ref}): ${d.text}`)),
  ];
  for (const u of c.units) {
    children.push(p(`${u.name} — ${u.reportStatus}`, { bold: true }));
    for (const t of u.tasks) {
      children.push(p(`Nhiệm vụ ${t.ref} (${t.role}): ${t.text}`, { italics: true }));
      children.push(
        p(
          `Trạng thái: ${t.status}. Đã thực hiện: ${t.done} Kết quả: ${t.results} Khó khăn: ${t.difficulties} Đề xuất: ${t.proposals} Minh chứng: ${t.evidence}`,
        ),
      );
    }
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

function pdfkitText(c: Data): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 57, bottom: 57, left: 85, right: 43 } });
  doc.registerFont('serif', path.join(ROOT, 'data/fonts/Tinos-Regular.ttf'));
  doc.font('serif').fontSize(13);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const line = (s: string) => doc.text(s, { align: 'justify' });
  [c.parentIssuer, c.issuer, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', c.placeDate, 'BÁO CÁO', c.subtitle, c.summary].forEach(line);
  for (const g of c.byGroup) line(`${g.title}: ${g.tasks} ${g.done} ${g.inProgress} ${g.notStarted} ${g.overdue} ${g.unreported}`);
  for (const u of c.byUnit) line(`${u.name}: ${u.reportStatus} ${u.tasks} ${u.done}`);
  for (const i of c.indicators) line(`${i.code} ${i.name} (${i.unit}) ${i.target} ${i.value} ${i.assessment}`);
  for (const d of [...c.difficulties, ...c.proposals]) line(`- ${d.unit} (nhiệm vụ ${d.ref}): ${d.text}`);
  for (const u of c.units) {
    line(`${u.name} — ${u.reportStatus}`);
    for (const t of u.tasks) {
      line(`Nhiệm vụ ${t.ref} (${t.role}): ${t.text}`);
      line(
        `Trạng thái: ${t.status}. Đã thực hiện: ${t.done} Kết quả: ${t.results} Khó khăn: ${t.difficulties} Đề xuất: ${t.proposals} Minh chứng: ${t.evidence}`,
      );
    }
  }
  doc.end();
  return done;
}

async function main(): Promise<void> {
  const [mode, url, yearArg] = process.argv.slice(2) as [Mode, string, string];
  const year = Number(yearArg);
  const { connect } = await built<typeof Db>('platform/db/index.js');
  const { systemPrincipal } = await built<typeof Auth>('platform/auth/index.js');
  const planning = await built<typeof Planning>('modules/planning/index.js');
  const startRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const db = connect(url, { max: 2 });
  const t0 = performance.now();
  const data = await planning.buildConsolidated(db.db, systemPrincipal(), year);
  const bytes = (mode === 'docx-package' ? await docxPackage(data) : await pdfkitText(data)).length;
  const ms = performance.now() - t0;
  await db.close();
  const out = { mode, seconds: Math.round(ms) / 1000, bytes, startRssMiB, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  fs.writeSync(1, `${JSON.stringify(out)}\n`);
}

await main();
process.exit(0);
