import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';

// A department's report as it is typed in Excel: agency and motto, title, a two-row merged header,
// column numbering, sections with subtotals, totals, a column typed with the .VnTime (TCVN3) font,
// and the signature block; a second sheet with a plain table, a third with only notes.
const REPORT: (string | number | Date | null)[][] = [
  ['UBND TỈNH NINH THUẬN', null, null, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
  ['SỞ NÔNG NGHIỆP VÀ PTNT', null, null, 'Độc lập - Tự do - Hạnh phúc'],
  [],
  ['BÁO CÁO DIỆN TÍCH GIEO TRỒNG VỤ ĐÔNG XUÂN 2023'],
  [],
  ['STT', 'Đơn vị', 'Diện tích (ha)', null, 'Ngày báo cáo', 'Cơ quan báo cáo'],
  [null, null, 'Lúa', 'Ngô', null, null],
  ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)'],
  ['I', 'Huyện Ninh Hải', 3000, 150, null, null],
  [1, 'Xã Hộ Hải', 1234.5, 100, new Date(Date.UTC(2023, 2, 15)), 'Uû ban nh©n d©n x·'],
  [2, 'Xã Công Hải', 1765.5, 50, new Date(Date.UTC(2023, 2, 16)), 'Uû ban nh©n d©n x·'],
  [null, 'Cộng huyện', 3000, 150, null, null],
  ['II', 'Huyện Ninh Phước', 800, 20, null, null],
  [3, 'Xã Phước Hải', 800, 20, new Date(Date.UTC(2023, 2, 17)), 'Céng hoµ x· héi chñ nghÜa ViÖt Nam'],
  [null, 'Tổng cộng', 3800, 170, null, null],
  [],
  ['Ghi chú: số liệu sơ bộ'],
  [null, 'Người lập biểu', null, null, 'Giám đốc'],
];
const MERGES = ['A1:C1', 'D1:F1', 'A2:C2', 'D2:F2', 'A4:F4', 'A6:A7', 'B6:B7', 'C6:D6', 'E6:E7', 'F6:F7'];
const POPULATION = [
  ['Mã xã', 'Tên xã', 'Dân số (người)'],
  ['22738', 'Phường Đô Vinh', 20345],
  ['22741', 'Phường Phước Mỹ', 18002],
];

export async function excelFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Biểu 01');
  REPORT.forEach((r) => ws.addRow(r));
  for (const m of MERGES) ws.mergeCells(m);
  ws.getColumn(5).numFmt = 'dd/mm/yyyy';
  const pop = wb.addWorksheet('Dân số');
  POPULATION.forEach((r) => pop.addRow(r));
  wb.addWorksheet('Hướng dẫn').addRow(['Điền số liệu vào Biểu 01']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same workbook written by SheetJS as ODS or old binary XLS. */
export function sheetJsFile(bookType: 'ods' | 'biff8'): Buffer {
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet(REPORT, { cellDates: true, dateNF: 'dd/mm/yyyy' });
  ws['!merges'] = MERGES.map((m) => XLSX.utils.decode_range(m));
  XLSX.utils.book_append_sheet(wb, ws, 'Biểu 01');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(POPULATION), 'Dân số');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}
