import { badRequest, html, type Html } from '../../../platform/http/index.js';
import type { FileEncoding } from '../ingest/decode.js';
import type { LayoutOverride } from '../ingest/layout.js';
import type { LoadSourceInfo } from '../tables.js';

/** What the editor chose in the wizard's structure step, carried through its later steps. */
export interface WizardChoices {
  encoding?: FileEncoding;
  delimiter?: string;
  layout?: Record<string, LayoutOverride>;
}

export const ENCODINGS: FileEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1258', 'tcvn3', 'vni'];
export const DELIMITERS = [',', ';', '\t', '|'];
const RANGE = /^([hd])(\d{1,3})_(from|to)$/;

const rowNumber = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw badRequest('datastore_layout', { vi: 'Số dòng phải là số nguyên từ 1.', en: 'A row number is a whole number from 1.' }, name);
  return n;
};

/** The choices from form or query fields: encoding, delimiter, h<sheet>_from/_to (header rows), d<sheet>_from/_to (data rows). */
export function choicesOf(values: Record<string, unknown>): WizardChoices {
  const out: WizardChoices = {};
  const enc = String(values.encoding ?? '');
  if (enc) {
    if (!ENCODINGS.includes(enc as FileEncoding))
      throw badRequest('datastore_encoding', { vi: 'Mã ký tự không hỗ trợ.', en: 'Unsupported encoding.' }, 'encoding');
    out.encoding = enc as FileEncoding;
  }
  const delim = String(values.delimiter ?? '');
  if (delim) {
    const d = delim === 'tab' ? '\t' : delim;
    if (!DELIMITERS.includes(d)) throw badRequest('datastore_delimiter', { vi: 'Dấu phân cách không hỗ trợ.', en: 'Unsupported delimiter.' }, 'delimiter');
    out.delimiter = d;
  }
  const ranges: Record<string, { h: [number?, number?]; d: [number?, number?] }> = {};
  for (const [name, raw] of Object.entries(values)) {
    const m = RANGE.exec(name);
    if (!m || String(raw).trim() === '') continue;
    const r = (ranges[m[2]!] ??= { h: [], d: [] });
    r[m[1] as 'h' | 'd'][m[3] === 'from' ? 0 : 1] = rowNumber(name, String(raw).trim());
  }
  for (const [sheet, r] of Object.entries(ranges)) {
    const o: LayoutOverride = {};
    const pair = (p: [number?, number?]): [number, number] | undefined => (p[0] !== undefined ? [p[0], p[1] ?? p[0]] : undefined);
    const h = pair(r.h);
    const d = r.d[0] !== undefined ? ([r.d[0], r.d[1] ?? 1_000_000_000] as [number, number]) : undefined;
    if (h) o.headerRows = h;
    if (d) o.dataRows = d;
    if (h || d) (out.layout ??= {})[sheet] = o;
  }
  return out;
}

/** The choices a load was made with (to carry them to the next one). */
export const choicesOfSource = (s: LoadSourceInfo): WizardChoices => ({
  ...(s.encoding ? { encoding: s.encoding } : {}),
  ...(s.delimiter ? { delimiter: s.delimiter } : {}),
  ...(s.layout ? { layout: s.layout } : {}),
});

/** The choices as form fields (hidden inputs) or query parameters. */
export function choiceFields(c: WizardChoices): [string, string][] {
  const out: [string, string][] = [];
  if (c.encoding) out.push(['encoding', c.encoding]);
  if (c.delimiter) out.push(['delimiter', c.delimiter === '\t' ? 'tab' : c.delimiter]);
  for (const [sheet, o] of Object.entries(c.layout ?? {})) {
    if (o.headerRows) out.push([`h${sheet}_from`, String(o.headerRows[0])], [`h${sheet}_to`, String(o.headerRows[1])]);
    if (o.dataRows) out.push([`d${sheet}_from`, String(o.dataRows[0])], [`d${sheet}_to`, String(o.dataRows[1])]);
  }
  return out;
}

export const hiddenChoices = (c: WizardChoices): Html => html`${choiceFields(c).map(([n, v]) => html`<input type="hidden" name="${n}" value="${v}" />`)}`;
export const choiceQuery = (c: WizardChoices): string => new URLSearchParams(choiceFields(c)).toString();
