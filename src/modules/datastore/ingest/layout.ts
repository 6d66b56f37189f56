import { foldVi } from '../../../platform/text/index.js';
import { NUM_EN, NUM_VN, classify } from './classify.js';
import { convertLegacy, detectMojibake } from './legacy.js';

/** A merged range of cells (0-based, inclusive), as spreadsheet readers give them. */
export interface Merge {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

/** One sheet as text: rows of cells, and its merged ranges. */
export interface Grid {
  rows: string[][];
  merges: Merge[];
}

export type SkippedKind = 'title' | 'numbering' | 'section' | 'total' | 'footer';

/** Where the table is in a sheet; rows are 0-based indexes into the grid. */
export interface SheetLayout {
  headerRows: [number, number];
  /** The first and last row read as data (rows between that are totals or sections are in `skipped`). */
  dataRows: [number, number];
  columns: [number, number];
  header: string[];
  /** Rows of the data range that are data, each with the section it sits under (when the sheet has sections). */
  data: { row: number; section?: string }[];
  skipped: { row: number; kind: SkippedKind; text: string }[];
  hasSections: boolean;
}

/** The editor's correction of what was detected (1-based sheet row numbers, inclusive). */
export interface LayoutOverride {
  headerRows?: [number, number];
  dataRows?: [number, number];
}

/** The name of the column added for section rows (I, II… headings the data rows sit under). */
export const SECTION_COLUMN = 'Mục';

const MAX_HEADER_ROWS = 4;
// "Tổng cộng", "Cộng huyện", "Cộng (I)"… but not a commune such as "Công Hải" (folded "cong hai").
const TOTAL =
  /^(tong cong|tong so|tong|cong|toan tinh|toan huyen|total|grand total|subtotal|sum)( (toan tinh|toan huyen|huyen|xa|thi xa|thanh pho|tp|tinh|khu vuc|nhom|muc|chung|\(?[ivxlc]+\)?|[a-z]))?\s*[:.]?$/;
const FOOTER =
  /^(ghi chu|chu thich|chu y|luu y|nguon|nguoi lap|nguoi ky|nguoi bao cao|thu truong|ke toan|giam doc|chu tich|tm\.|kt\.|t\/m|noi nhan|xac nhan|note|notes|source)\b|\bngay .{1,12} thang .{1,6} nam\b|^\(ky/;
const ROMAN = /^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})[.)]?$/;
const NUMBERING = /^\(?([0-9]{1,2}|[A-Za-z])\)?$/;

const text = (v: string | undefined) => (v ?? '').trim();
const fold = (v: string) => foldVi(v).toLowerCase().replace(/\s+/g, ' ').trim();
const isNumber = (v: string) => v !== '' && (classify(v) & (NUM_EN | NUM_VN)) !== 0;

/** Copies each merged range's value into all of its cells (a merged header spans its columns; a merged label its rows). */
export function fillMerges(grid: Grid): string[][] {
  const rows = grid.rows.map((r) => [...r]);
  for (const m of grid.merges) {
    const v = grid.rows[m.s.r]?.[m.s.c] ?? '';
    if (!v) continue;
    for (let r = m.s.r; r <= m.e.r && r < rows.length; r++)
      for (let c = m.s.c; c <= m.e.c; c++) {
        const row = rows[r]!;
        while (row.length <= c) row.push('');
        row[c] = v;
      }
  }
  return rows;
}

/**
 * Finds the table in a sheet as government spreadsheets lay it out: a title block above it
 * (the issuing agency, "BÁO CÁO …"), a header of one to four rows with merged group cells, an
 * optional row numbering the columns ((1), (2)… or A, B, 1, 2…), data rows with section rows
 * (I, II… or a lone label) and totals rows ("Tổng cộng", "Cộng") among them, and footnotes or a
 * signature block below. Returns null for a sheet with no table (fewer than two columns of text).
 */
export function detectLayout(grid: Grid, override: LayoutOverride = {}): SheetLayout | null {
  const filled = fillMerges(grid);
  const covered = new Set<string>();
  for (const m of grid.merges)
    for (let r = m.s.r; r <= m.e.r; r++) for (let c = m.s.c; c <= m.e.c; c++) if (r !== m.s.r || c !== m.s.c) covered.add(`${r}:${c}`);
  // A row's width: its non-empty cells, a merged range counted once.
  const width = grid.rows.map((row, r) => row.reduce((n, v, c) => (text(v) && !covered.has(`${r}:${c}`) ? n + 1 : n), 0));
  const widest = Math.max(0, ...width);
  if (widest < 2) return null;

  let h0: number;
  let h1: number;
  if (override.headerRows) {
    [h0, h1] = [override.headerRows[0] - 1, override.headerRows[1] - 1];
  } else {
    // The header: the first wide row with wide rows below it (a title block's two-sided first rows are followed by narrow ones).
    const wide = Math.max(2, Math.ceil(widest * 0.6));
    const body = (r: number) => width.slice(r + 1, r + 7).filter((w) => w >= wide).length;
    const below = (r: number) => Math.min(2, width.slice(r + 1).filter((w) => w > 0).length);
    h0 = width.findIndex((w, r) => w >= wide && body(r) >= below(r));
    if (h0 < 0) h0 = width.findIndex((w) => w >= wide);
    h1 = h0;
    while (h1 + 1 < filled.length && h1 - h0 + 1 < MAX_HEADER_ROWS && continuesHeader(grid, filled, h0, h1, h1 + 1)) h1++;
  }
  // Columns: those with text in the header or the data (not the title block's wide merges).
  let c0 = Infinity;
  let c1 = -1;
  for (let r = h0; r < filled.length; r++)
    filled[r]!.forEach((v, c) => {
      if (text(v) && (r <= h1 || width[r]! >= 2)) {
        c0 = Math.min(c0, c);
        c1 = Math.max(c1, c);
      }
    });
  if (c1 < 0) return null;
  const header = columnNames(filled, h0, h1, c0, c1);

  const skipped: SheetLayout['skipped'] = [];
  for (let r = 0; r < h0; r++) if (width[r]) skipped.push({ row: r, kind: 'title', text: rowText(filled[r]!, 0, filled[r]!.length - 1) });
  let d0 = h1 + 1;
  if (!override.dataRows && d0 < filled.length && isNumberingRow(filled[d0]!, c0, c1)) {
    skipped.push({ row: d0, kind: 'numbering', text: rowText(filled[d0]!, c0, c1) });
    d0++;
  }
  let dEnd = filled.length - 1;
  if (override.dataRows) [d0, dEnd] = [override.dataRows[0] - 1, Math.min(filled.length, override.dataRows[1]) - 1];

  const data: SheetLayout['data'] = [];
  let section: string | undefined;
  let hasSections = false;
  let gap = false;
  let last = d0 - 1;
  for (let r = d0; r <= dEnd; r++) {
    const row = filled[r] ?? [];
    const cells = row.slice(c0, c1 + 1).map(text);
    const firstText = cells.find((v) => v !== '') ?? '';
    if (!firstText) {
      gap = data.length > 0;
      continue;
    }
    const lead = fold(firstText);
    const w = width[r]!;
    if (!override.dataRows && data.length > 0 && (FOOTER.test(lead) || (gap && w <= Math.max(1, Math.floor(widest / 4))))) {
      for (let f = r; f <= dEnd; f++) if (width[f]) skipped.push({ row: f, kind: 'footer', text: rowText(filled[f]!, 0, (filled[f] ?? []).length - 1) });
      break;
    }
    gap = false;
    if (cells.slice(0, 3).some((v) => TOTAL.test(fold(v)))) {
      skipped.push({ row: r, kind: 'total', text: rowText(row, c0, c1) });
      continue;
    }
    const labelOnly = w === 1 && cells.slice(2).every((v) => v === '') && !isNumber(firstText);
    if (ROMAN.test(cells[0] ?? '') || labelOnly) {
      section = rowText(
        row.map((v) => (isNumber(text(v)) ? '' : v)),
        c0,
        c1,
        3,
      );
      hasSections = true;
      skipped.push({ row: r, kind: 'section', text: section });
      continue;
    }
    data.push({ row: r, ...(section ? { section } : {}) });
    last = r;
  }
  return { headerRows: [h0, h1], dataRows: [d0, Math.max(d0, last)], columns: [c0, c1], header, data, skipped, hasSections };
}

/** Row `r` belongs to the header that spans h0..h1: a merge from the header reaches down into it, or sits above its text. */
function continuesHeader(grid: Grid, filled: string[][], h0: number, h1: number, r: number): boolean {
  const row = filled[r] ?? [];
  if (isNumberingRow(row, 0, row.length - 1)) return false;
  for (const m of grid.merges) {
    if (m.s.r < h0 || m.s.r > h1) continue;
    if (m.e.r >= r) return true;
    if (m.e.c > m.s.c && m.e.r <= h1) {
      // A group cell over several columns: the names under it are in this row when they are text.
      const under = [];
      for (let c = m.s.c; c <= m.e.c; c++) under.push(text(grid.rows[r]?.[c]));
      if (under.some((v) => v !== '') && under.every((v) => v === '' || !isNumber(v) || /^(19|20)\d\d$/.test(v))) return true;
    }
  }
  return false;
}

/** "(1) (2) (3)…" or "A B 1 2 3…": a row that numbers the columns. */
function isNumberingRow(row: string[], c0: number, c1: number): boolean {
  const cells = row
    .slice(c0, c1 + 1)
    .map(text)
    .filter(Boolean);
  if (cells.length < 2 || cells.length * 2 < c1 - c0 + 1) return false;
  if (!cells.every((v) => NUMBERING.test(v))) return false;
  const nums = cells.map((v) => Number(v.replace(/[()]/g, ''))).filter((n) => Number.isFinite(n));
  return nums.length >= 2 && nums.every((n, i) => i === 0 || n > nums[i - 1]!);
}

/** Each column's name: its header cells top to bottom, repeats of a merged group cell once, joined by " - ". */
function columnNames(filled: string[][], h0: number, h1: number, c0: number, c1: number): string[] {
  const names: string[] = [];
  for (let c = c0; c <= c1; c++) {
    const parts: string[] = [];
    for (let r = h0; r <= h1; r++) {
      const v = unmojibake(text(filled[r]?.[c]).replace(/\s+/g, ' '));
      if (v && parts[parts.length - 1] !== v) parts.push(v);
    }
    names.push(parts.join(' - '));
  }
  return names;
}

/** Header text typed with a legacy font (.VnTime) in a Unicode workbook, as Vietnamese. */
export function unmojibake(v: string): string {
  const font = detectMojibake(v);
  return font ? convertLegacy(font, v).normalize('NFC') : v;
}

function rowText(row: string[], c0: number, c1: number, max = 6): string {
  const seen: string[] = [];
  for (let c = c0; c <= c1 && seen.length < max; c++) {
    const v = text(row[c]);
    if (v && seen[seen.length - 1] !== v) seen.push(v);
  }
  return unmojibake(seen.join(' ')).slice(0, 200);
}

const KIND_TEXT: Record<SkippedKind, { vi: string; en: string }> = {
  title: { vi: 'khối tiêu đề phía trên bảng', en: 'title block above the table' },
  numbering: { vi: 'dòng đánh số cột', en: 'column numbering row' },
  section: { vi: 'dòng mục (không phải dữ liệu)', en: 'section rows (not data)' },
  total: { vi: 'dòng tổng, cộng (không phải dữ liệu)', en: 'totals rows (not data)' },
  footer: { vi: 'ghi chú, chữ ký phía dưới bảng', en: 'footnotes and signatures below the table' },
};

/** The report's lines for what the layout left out of the data, one per kind (sheet row numbers, 1-based). */
export function layoutNotes(layout: SheetLayout): string[] {
  const notes = [
    `Tiêu đề ở dòng ${layout.headerRows[0] + 1}–${layout.headerRows[1] + 1} / Header in rows ${layout.headerRows[0] + 1}–${layout.headerRows[1] + 1}`,
  ];
  for (const kind of Object.keys(KIND_TEXT) as SkippedKind[]) {
    const rows = layout.skipped.filter((s) => s.kind === kind);
    if (!rows.length) continue;
    const list = rows
      .slice(0, 10)
      .map((s) => `${s.row + 1} (${s.text.slice(0, 60)})`)
      .join('; ');
    const more = rows.length > 10 ? ` …+${rows.length - 10}` : '';
    notes.push(`Bỏ qua ${KIND_TEXT[kind].vi}: dòng ${list}${more} / Skipped ${KIND_TEXT[kind].en}: rows ${list}${more}`);
  }
  return notes;
}
