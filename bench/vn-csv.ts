import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib.js';

/**
 * A deterministic Vietnamese CSV for the load benchmarks: real commune names and codes (the
 * shipped admin-units file), dd/mm/yyyy dates, "1.234,5" numbers, accented text; 8 columns.
 * With `badRowNearEnd`, one numeric cell 10 rows before the end is not a number.
 */
export function writeVnCsv(file: string, rows: number, opts: { badRowNearEnd?: boolean } = {}): void {
  const units = JSON.parse(fs.readFileSync(path.join(ROOT, 'data/admin-units/units.json'), 'utf8')) as { rows: (string | null)[][] };
  const communes = units.rows.filter((r) => r[3] === 'commune' && r[7] === '2025-07-01').slice(0, 2000);
  const crops = ['Lúa', 'Ngô', 'Nho', 'Táo', 'Hành tím', 'Tỏi', 'Măng tây', 'Thanh long'];
  const fd = fs.openSync(file, 'w');
  let buf = 'ma_xa,ten_xa,cay_trong,ngay_bao_cao,dien_tich_ha,san_luong_tan,ty_le_tang,ghi_chu\n';
  let x = 12345;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < rows; i++) {
    const c = communes[i % communes.length]!;
    const d = new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 1800) * 86400000);
    const date = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    const area = (rnd() * 5000)
      .toFixed(1)
      .replace('.', ',')
      .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    const tons = Math.floor(rnd() * 200000).toLocaleString('de-DE');
    const rate = (rnd() * 40 - 10).toFixed(2).replace('.', ',');
    const bad = opts.badRowNearEnd && i === rows - 10;
    const note = i % 7 === 0 ? `"Vụ Đông Xuân, năm ${d.getUTCFullYear()}"` : i % 5 === 0 ? '' : 'Đạt kế hoạch';
    buf += `${c[0]},${c[1]},${crops[i % crops.length]},${date},"${bad ? 'khoảng 12' : area}",${tons},"${rate}",${note}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}
