import { describe, expect, it } from 'vitest';
import { detectLayout, type Merge } from './layout.js';

const m = (r0: number, c0: number, r1: number, c1: number): Merge => ({ s: { r: r0, c: c0 }, e: { r: r1, c: c1 } });

// A provincial report as departments send it: agency and motto, title, a two-row merged header,
// a column numbering row, sections with subtotals, a totals row, and the signature block.
const REPORT = {
  rows: [
    ['UBND TỈNH NINH THUẬN', '', '', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
    ['SỞ NÔNG NGHIỆP VÀ PTNT', '', '', 'Độc lập - Tự do - Hạnh phúc'],
    [],
    ['BÁO CÁO DIỆN TÍCH GIEO TRỒNG VỤ ĐÔNG XUÂN 2023'],
    [],
    ['STT', 'Đơn vị', 'Diện tích (ha)', '', '', 'Ngày báo cáo'],
    ['', '', 'Lúa', 'Ngô', 'Rau màu', ''],
    ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)'],
    ['I', 'Huyện Ninh Hải', '3000', '150', '75', ''],
    ['1', 'Xã Hộ Hải', '1234.5', '100', '50', '2023-03-15'],
    ['2', 'Xã Công Hải', '1765.5', '50', '25', '2023-03-16'],
    ['', 'Cộng huyện', '3000', '150', '75', ''],
    ['II', 'Huyện Ninh Phước', '800', '20', '10', ''],
    ['3', 'Xã Phước Hải', '800', '20', '10', '2023-03-17'],
    ['', 'Tổng cộng', '3800', '170', '85', ''],
    [],
    ['Ghi chú: số liệu sơ bộ'],
    ['', 'Người lập biểu', '', '', 'Giám đốc'],
  ],
  merges: [m(0, 0, 0, 2), m(0, 3, 0, 5), m(1, 0, 1, 2), m(1, 3, 1, 5), m(3, 0, 3, 5), m(5, 0, 6, 0), m(5, 1, 6, 1), m(5, 2, 5, 4), m(5, 5, 6, 5)],
};

describe('spreadsheet layout', () => {
  it('finds the header under a title block, joins merged header cells, and leaves numbering, sections, totals and footer out', () => {
    const l = detectLayout(REPORT)!;
    expect(l.headerRows).toEqual([5, 6]);
    expect(l.header).toEqual(['STT', 'Đơn vị', 'Diện tích (ha) - Lúa', 'Diện tích (ha) - Ngô', 'Diện tích (ha) - Rau màu', 'Ngày báo cáo']);
    expect(l.data.map((d) => [d.row, d.section])).toEqual([
      [9, 'I Huyện Ninh Hải'],
      [10, 'I Huyện Ninh Hải'],
      [13, 'II Huyện Ninh Phước'],
    ]);
    const kinds = Object.fromEntries(
      ['title', 'numbering', 'section', 'total', 'footer'].map((k) => [k, l.skipped.filter((s) => s.kind === k).map((s) => s.row)]),
    );
    expect(kinds).toEqual({ title: [0, 1, 3], numbering: [7], section: [8, 12], total: [11, 14], footer: [16, 17] });
  });

  it('keeps a commune whose name starts like a totals word ("Công Hải") as data', () => {
    const grid = {
      rows: [
        ['Tên', 'Số hộ'],
        ['Công Hải', '10'],
        ['Cộng', '10'],
      ],
      merges: [],
    };
    const l = detectLayout(grid)!;
    expect(l.data.map((d) => d.row)).toEqual([1]);
    expect(l.skipped).toEqual([{ row: 2, kind: 'total', text: 'Cộng 10' }]);
  });

  it('reads a plain sheet (header in the first row) as is, and takes the editor’s header rows and data range', () => {
    const plain = {
      rows: [
        ['Mã', 'Tên'],
        ['22738', 'Phường Đô Vinh'],
        ['22741', 'Phường Bảo An'],
      ],
      merges: [],
    };
    expect(detectLayout(plain)).toMatchObject({ headerRows: [0, 0], header: ['Mã', 'Tên'], data: [{ row: 1 }, { row: 2 }], skipped: [] });
    const l = detectLayout(REPORT, { headerRows: [7, 7], dataRows: [10, 11] })!;
    expect(l.header.slice(0, 3)).toEqual(['STT', 'Đơn vị', 'Lúa']); // merged cells count in every row they span
    expect(l.data.map((d) => d.row)).toEqual([9, 10]);
  });

  it('finds no table in a sheet of notes', () => {
    expect(detectLayout({ rows: [['Hướng dẫn điền biểu'], ['Điền số liệu vào Biểu 01']], merges: [] })).toBeNull();
  });
});
