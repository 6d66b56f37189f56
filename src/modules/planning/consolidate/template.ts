import PizZip from 'pizzip';

/**
 * The built-in Word template of the consolidated report, in the layout Nghị định 30/2020/NĐ-CP
 * sets for administrative documents: A4, margins 20/20/30/15 mm, Times New Roman 13–14 pt, the
 * issuing body and the national motto side by side, number and symbol, place and date, the title,
 * the body, recipients and the signature block. Its {tags} are docxtemplater's; the Department
 * may download it, restyle it in Word and upload it back (any tag it drops is simply not shown).
 * Written as WordprocessingML here rather than shipped as a binary so that it reviews as text.
 */

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface RunOpts {
  b?: boolean;
  i?: boolean;
  u?: boolean;
  sz?: number;
}
const run = (text: string, o: RunOpts = {}): string => {
  const props = [
    o.b ? '<w:b/>' : '',
    o.i ? '<w:i/>' : '',
    o.u ? '<w:u w:val="single"/>' : '',
    o.sz ? `<w:sz w:val="${o.sz * 2}"/><w:szCs w:val="${o.sz * 2}"/>` : '',
  ].join('');
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
};
interface ParOpts {
  jc?: 'left' | 'center' | 'right' | 'both';
  before?: number;
  after?: number;
  indent?: boolean;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
}
const par = (runs: string, o: ParOpts = {}): string => {
  const props = [
    o.keepNext ? '<w:keepNext/>' : '',
    o.pageBreakBefore ? '<w:pageBreakBefore/>' : '',
    `<w:spacing w:before="${(o.before ?? 0) * 20}" w:after="${(o.after ?? 6) * 20}"/>`,
    o.indent ? '<w:ind w:firstLine="567"/>' : '',
    `<w:jc w:val="${o.jc ?? 'both'}"/>`,
  ].join('');
  return `<w:p><w:pPr>${props}</w:pPr>${runs}</w:p>`;
};
const cell = (width: number, content: string, o: { shade?: boolean } = {}): string =>
  `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${o.shade ? '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' : ''}</w:tcPr>${content}</w:tc>`;
const borders = (on: boolean): string =>
  on
    ? '<w:tblBorders>' +
      ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((s) => `<w:${s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('') +
      '</w:tblBorders>'
    : '<w:tblBorders>' + ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((s) => `<w:${s} w:val="nil"/>`).join('') + '</w:tblBorders>';
const table = (widths: number[], rows: string[], bordered = true): string =>
  `<w:tbl><w:tblPr><w:tblW w:w="${widths.reduce((a, b) => a + b, 0)}" w:type="dxa"/>${borders(bordered)}<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>${rows.join('')}</w:tbl>`;
const row = (cells: string[], header = false): string => `<w:tr>${header ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${cells.join('')}</w:tr>`;
const small = (t: string, o: RunOpts & ParOpts = {}) => par(run(t, { sz: 12, ...o }), { jc: o.jc ?? 'left', after: 0 });

/** A data table: a header row, then one row per item of `loop`, its `fields` in order. */
function dataTable(loop: string, headers: string[], fields: string[], widths: number[]): string {
  const head = row(
    headers.map((h, i) => cell(widths[i]!, small(h, { b: true, jc: 'center' }), { shade: true })),
    true,
  );
  const body = row(
    fields.map((f, i) =>
      cell(widths[i]!, small(`${i === 0 ? `{#${loop}}` : ''}{${f}}${i === fields.length - 1 ? `{/${loop}}` : ''}`, { jc: i === 0 ? 'left' : 'center' })),
    ),
  );
  return table(widths, [head, body]);
}

const heading = (t: string) => par(run(t, { b: true, sz: 14 }), { before: 6, after: 6, keepNext: true });
const bodyText = (tag: string) => par(run(tag, { sz: 14 }), { indent: true });

function documentXml(): string {
  const header = table(
    [3900, 5400],
    [
      row([
        cell(
          3900,
          par(run('{parentIssuer}', { sz: 13 }), { jc: 'center', after: 0 }) +
            par(run('{issuer}', { b: true, sz: 13 }), { jc: 'center', after: 6 }) +
            par(run('Số: {numberSymbol}', { sz: 13 }), { jc: 'center', after: 0 }),
        ),
        cell(
          5400,
          par(run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { b: true, sz: 13 }), { jc: 'center', after: 0 }) +
            par(run('Độc lập - Tự do - Hạnh phúc', { b: true, sz: 14, u: true }), { jc: 'center', after: 6 }) +
            par(run('{placeDate}', { i: true, sz: 14 }), { jc: 'center', after: 0 }),
        ),
      ]),
    ],
    false,
  );
  const parts = [
    header,
    par(run('BÁO CÁO', { b: true, sz: 14 }), { jc: 'center', before: 12, after: 0 }),
    par(run('{subtitle}', { b: true, sz: 14 }), { jc: 'center', after: 12 }),
    heading('I. TÌNH HÌNH CHUNG'),
    bodyText('{summary}'),
    bodyText(
      'Số đơn vị phải báo cáo: {counts.units}; đã được chấp nhận: {counts.accepted}; đang xem xét hoặc trả lại: {counts.pending}; chưa báo cáo: {counts.missing}.',
    ),
    heading('II. KẾT QUẢ THỰC HIỆN THEO NHÓM NỘI DUNG'),
    dataTable(
      'byGroup',
      ['Nhóm nội dung', 'Số nhiệm vụ', 'Hoàn thành', 'Đang triển khai', 'Chưa triển khai', 'Quá hạn', 'Chưa báo cáo'],
      ['title', 'tasks', 'done', 'inProgress', 'notStarted', 'overdue', 'unreported'],
      [2700, 1100, 1100, 1100, 1100, 1100, 1100],
    ),
    heading('III. KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ'),
    dataTable(
      'byUnit',
      ['Đơn vị', 'Tình trạng báo cáo', 'Số nhiệm vụ', 'Hoàn thành', 'Đang triển khai', 'Chưa triển khai', 'Quá hạn'],
      ['name', 'reportStatus', 'tasks', 'done', 'inProgress', 'notStarted', 'overdue'],
      [2700, 1500, 1020, 1020, 1020, 1020, 1020],
    ),
    heading('IV. CÁC CHỈ TIÊU'),
    dataTable(
      'indicators',
      ['Mã', 'Chỉ tiêu', 'Đơn vị tính', 'Mục tiêu', 'Thực hiện', 'Đánh giá'],
      ['code', 'name', 'unit', 'target', 'value', 'assessment'],
      [800, 3700, 1200, 1100, 1100, 1400],
    ),
    heading('V. ĐÁNH GIÁ CHUNG'),
    bodyText('{assessment}'),
    heading('VI. KHÓ KHĂN, VƯỚNG MẮC'),
    par(run('{#difficulties}', { sz: 14 })),
    par(run('- {unit} (nhiệm vụ {ref}): {text}', { sz: 14 }), { indent: true }),
    par(run('{/difficulties}', { sz: 14 })),
    heading('VII. ĐỀ XUẤT, KIẾN NGHỊ'),
    bodyText('{recommendations}'),
    par(run('{#proposals}', { sz: 14 })),
    par(run('- {unit} (nhiệm vụ {ref}): {text}', { sz: 14 }), { indent: true }),
    par(run('{/proposals}', { sz: 14 })),
    table(
      [4650, 4650],
      [
        row([
          cell(
            4650,
            par(run('Nơi nhận:', { b: true, i: true, sz: 12 }), { jc: 'left', after: 0 }) +
              par(run('{#recipients}', { sz: 11 }), { jc: 'left', after: 0 }) +
              par(run('- {.};', { sz: 11 }), { jc: 'left', after: 0 }) +
              par(run('{/recipients}', { sz: 11 }), { jc: 'left', after: 0 }),
          ),
          cell(
            4650,
            par(run('{signerTitle}', { b: true, sz: 14 }), { jc: 'center', after: 60 }) +
              par(run('{signerName}', { b: true, sz: 14 }), { jc: 'center', after: 0 }),
          ),
        ]),
      ],
      false,
    ),
    par(run('PHỤ LỤC: BÁO CÁO CỦA CÁC ĐƠN VỊ', { b: true, sz: 14 }), { jc: 'center', pageBreakBefore: true, after: 12 }),
    par(run('{#units}', { sz: 13 })),
    par(run('{name} — {reportStatus}', { b: true, sz: 13 }), { before: 6, keepNext: true }),
    par(run('{#tasks}', { sz: 13 })),
    par(run('Nhiệm vụ {ref} ({role}): ', { b: true, sz: 13 }) + run('{text}', { i: true, sz: 13 }), { keepNext: true }),
    par(run('Trạng thái: {status}. Đã thực hiện: {done} Kết quả: {results} Khó khăn: {difficulties} Đề xuất: {proposals} Minh chứng: {evidence}', { sz: 13 }), {
      indent: true,
    }),
    par(run('{/tasks}', { sz: 13 })),
    par(run('{/units}', { sz: 13 })),
  ];
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<w:body>${parts.join('')}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`
  );
}

const STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>' +
  '<w:pPrDefault><w:pPr><w:spacing w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>' +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const DOC_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>';

let cached: Buffer | undefined;
/** The built-in template as a .docx file. */
export function defaultTemplate(): Buffer {
  if (!cached) {
    const zip = new PizZip();
    zip.file('[Content_Types].xml', CONTENT_TYPES);
    zip.file('_rels/.rels', RELS);
    zip.file('word/_rels/document.xml.rels', DOC_RELS);
    zip.file('word/document.xml', documentXml());
    zip.file('word/styles.xml', STYLES);
    cached = zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
  }
  return cached;
}
