import type { FieldType } from './infer.js';
import { fieldIds } from './names.js';
import { canonicalDate } from './values.js';

/** Table Schema constraints the loader checks on every row (frictionless' names). */
export interface FieldConstraints {
  required?: boolean;
  minimum?: number | string;
  maximum?: number | string;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
  pattern?: string;
}

/**
 * One field of the editor's schema. It is matched to a column of the file by `name` (the column's
 * id as loaded before) or else by `title` (the header cell as written): so changing the name and
 * keeping the title renames the column.
 */
export interface EditorField {
  name: string;
  title?: string;
  description?: string;
  type?: FieldType;
  constraints?: FieldConstraints;
}

/** The editor's adjustments of an inferred Frictionless Table Schema, applied to every later load of the table. */
export interface EditorSchema {
  fields?: EditorField[];
  /** Replaces the default missing values ("", "N/A", "-"…), e.g. with "-999" added. */
  missingValues?: string[];
}

export const FIELD_TYPES: FieldType[] = ['string', 'integer', 'number', 'boolean', 'date', 'datetime'];
export const MAX_PATTERN_LENGTH = 200;

/** A problem with the schema itself (for the API: which property, why). */
export interface SchemaProblem {
  path: string;
  vi: string;
  en: string;
}

const isNumeric = (t: FieldType | undefined) => t === 'integer' || t === 'number';

/** The schema's own problems (the file is not needed to find these): names, types, constraints. */
export function schemaProblems(s: EditorSchema): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const names = new Set<string>();
  (s.fields ?? []).forEach((f, i) => {
    const at = `schema.fields.${i}`;
    const [clean] = fieldIds([f.name]);
    if (!f.name.trim() || clean !== f.name.trim() || f.name.startsWith('_'))
      out.push({
        path: `${at}.name`,
        vi: 'Tên cột không được trống, bắt đầu bằng “_” hay chứa dấu nháy kép; tối đa 59 byte.',
        en: 'A field name must not be empty, start with "_" or contain double quotes; at most 59 bytes.',
      });
    if (names.has(f.name.toLowerCase())) out.push({ path: `${at}.name`, vi: `Tên cột “${f.name}” bị trùng.`, en: `The field name "${f.name}" is used twice.` });
    names.add(f.name.toLowerCase());
    const c = f.constraints ?? {};
    for (const k of ['minimum', 'maximum'] as const) {
      const v = c[k];
      if (v === undefined) continue;
      if (isNumeric(f.type) ? typeof v !== 'number' && !Number.isFinite(Number(v)) : f.type === 'date' ? canonicalDate(String(v)) === null : true)
        out.push({
          path: `${at}.constraints.${k}`,
          vi: 'Giới hạn chỉ dùng cho cột số (một số) hoặc cột ngày (dd/mm/yyyy hoặc yyyy-mm-dd).',
          en: 'A bound applies to a number field (a number) or a date field (dd/mm/yyyy or yyyy-mm-dd).',
        });
    }
    if (c.pattern !== undefined) {
      if (c.pattern.length > MAX_PATTERN_LENGTH)
        out.push({
          path: `${at}.constraints.pattern`,
          vi: `Mẫu dài quá ${MAX_PATTERN_LENGTH} ký tự.`,
          en: `The pattern is longer than ${MAX_PATTERN_LENGTH} characters.`,
        });
      else
        try {
          new RegExp(c.pattern, 'u');
        } catch {
          out.push({
            path: `${at}.constraints.pattern`,
            vi: 'Mẫu không phải biểu thức chính quy hợp lệ.',
            en: 'The pattern is not a valid regular expression.',
          });
        }
    }
    for (const k of ['minLength', 'maxLength'] as const)
      if (c[k] !== undefined && (!Number.isInteger(c[k]) || c[k]! < 0))
        out.push({ path: `${at}.constraints.${k}`, vi: 'Độ dài phải là số nguyên không âm.', en: 'A length must be a whole number, not negative.' });
  });
  return out;
}

/** How one column is written and checked, from the editor's field matched to it. */
export interface ColumnRule {
  id: string;
  title: string;
  description?: string;
  type?: FieldType;
  constraints?: FieldConstraints;
  /** The check of one cell: its value as read (null when missing) and as written (canonical); a message when it fails. */
  check?: (value: string | null, canonical: string) => { vi: string; en: string } | null;
}

/**
 * Matches the editor's schema to a file's header: per column its id (renamed or as inferred),
 * title, pinned type and check; `unmatched` names the schema fields no column matches. Ids come
 * from `title` (the header row), titles from `labels` (with a units row, "DO (mg/L)").
 */
export function applySchema(schema: EditorSchema | undefined, title: string[], labels: string[] = title): { rules: ColumnRule[]; unmatched: string[] } {
  const ids = fieldIds(title);
  const fields = schema?.fields ?? [];
  const taken = new Set<number>();
  const byColumn = new Map<number, EditorField>();
  const unmatched: string[] = [];
  for (const f of fields) {
    let i = ids.findIndex((id, k) => !taken.has(k) && id === f.name);
    if (i < 0 && f.title !== undefined) i = labels.findIndex((t, k) => !taken.has(k) && (t === f.title || title[k] === f.title));
    if (i < 0) {
      unmatched.push(f.name);
      continue;
    }
    taken.add(i);
    byColumn.set(i, f);
  }
  const rules = ids.map((id, i): ColumnRule => {
    const f = byColumn.get(i);
    if (!f) return { id, title: labels[i] ?? id };
    const check = f.constraints && checker(f);
    return {
      id: f.name,
      title: f.title ?? labels[i] ?? id,
      ...(f.description ? { description: f.description } : {}),
      ...(f.type ? { type: f.type } : {}),
      ...(f.constraints ? { constraints: f.constraints } : {}),
      ...(check ? { check } : {}),
    };
  });
  return { rules, unmatched };
}

/** The one function that checks a field's constraints on a cell; undefined when there is nothing to check. */
function checker(f: EditorField): ColumnRule['check'] {
  const c = f.constraints ?? {};
  const tests: ((v: string | null, canonical: string) => { vi: string; en: string } | null)[] = [];
  if (c.required) tests.push((v) => (v === null ? { vi: 'bắt buộc phải có giá trị', en: 'a value is required' } : null));
  const bound = (b: number | string) => (f.type === 'date' ? canonicalDate(String(b))! : Number(b));
  const cmp = (canonical: string, b: number | string) =>
    f.type === 'date' ? canonical.localeCompare(bound(b) as string) : Number(canonical) - (bound(b) as number);
  if (c.minimum !== undefined && (isNumeric(f.type) || f.type === 'date')) {
    const m = c.minimum;
    tests.push((v, canonical) => (v !== null && cmp(canonical, m) < 0 ? { vi: `nhỏ hơn giá trị tối thiểu ${m}`, en: `less than the minimum ${m}` } : null));
  }
  if (c.maximum !== undefined && (isNumeric(f.type) || f.type === 'date')) {
    const m = c.maximum;
    tests.push((v, canonical) => (v !== null && cmp(canonical, m) > 0 ? { vi: `lớn hơn giá trị tối đa ${m}`, en: `more than the maximum ${m}` } : null));
  }
  if (c.minLength !== undefined) {
    const n = c.minLength;
    tests.push((v) => (v !== null && [...v].length < n ? { vi: `ngắn hơn ${n} ký tự`, en: `shorter than ${n} characters` } : null));
  }
  if (c.maxLength !== undefined) {
    const n = c.maxLength;
    tests.push((v) => (v !== null && [...v].length > n ? { vi: `dài hơn ${n} ký tự`, en: `longer than ${n} characters` } : null));
  }
  if (c.enum?.length) {
    const allowed = new Set(c.enum.map((e) => e.normalize('NFC')));
    const list = c.enum.slice(0, 10).join(', ');
    tests.push((v) =>
      v !== null && !allowed.has(v) ? { vi: `không thuộc danh sách cho phép (${list})`, en: `not one of the allowed values (${list})` } : null,
    );
  }
  if (c.pattern) {
    // Anchored as Table Schema defines it: the whole value must match.
    const re = new RegExp(`^(?:${c.pattern})$`, 'u');
    tests.push((v) => (v !== null && !re.test(v) ? { vi: `không khớp mẫu ${c.pattern}`, en: `does not match the pattern ${c.pattern}` } : null));
  }
  if (!tests.length) return undefined;
  return (v, canonical) => {
    for (const t of tests) {
      const m = t(v, canonical);
      if (m) return m;
    }
    return null;
  };
}
