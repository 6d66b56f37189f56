/** Numbers as written in Vietnamese or English files: 1234.5, 1234,5, 1.234.567, 1,234.5. */
export function parseNumber(s: string): number | null {
  const t = s.trim().replace(/\s/g, '');
  if (!t) return null;
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+[.,]\d+$/.test(t) && !/^-?\d{1,3}[.,]\d{3}$/.test(t)) return Number(t.replace(',', '.'));
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  if (/^-?\d{1,3}[.,]\d{3}$/.test(t)) return Number(t.replace(/[.,]/, ''));
  return null;
}
