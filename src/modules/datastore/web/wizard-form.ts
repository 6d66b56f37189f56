import type { EditorField, EditorSchema, FieldConstraints } from '../ingest/editor-schema.js';
import { FIELD_TYPES } from '../ingest/editor-schema.js';
import type { FieldType } from '../ingest/infer.js';
import type { LoadTableInfo } from '../tables.js';

const list = (s: string | undefined) =>
  (s ?? '')
    .split('|')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** A bound as typed: a number (1.234,5 or 1234.5) for numeric fields, else the text (a date). */
function bound(raw: string | undefined, type: FieldType | undefined): number | string | undefined {
  const s = (raw ?? '').trim();
  if (!s) return undefined;
  if (type === 'date' || type === 'datetime') return s;
  const n = Number(s.includes(',') ? s.replace(/\./g, '').replace(',', '.') : s);
  return Number.isFinite(n) ? n : s;
}

/** The fields of a table that come from the file (the editor's schema describes these; added code columns are the loader's). */
export const fileFields = (t: LoadTableInfo) => t.fields.filter((f) => !t.derived?.includes(f.id));

/**
 * The editor's schema of each table from the wizard's form fields (t<sheet>_f<i>_name, _title,
 * _type, _required, _min, _max, _enum, t<sheet>_missing). A field left "inferred" with a minimum
 * or maximum is pinned to the type found in the file.
 */
export function schemasFromForm(values: Record<string, string>, tables: LoadTableInfo[]): Map<number, EditorSchema> {
  const out = new Map<number, EditorSchema>();
  for (const t of tables) {
    const p = `t${t.sheet}`;
    const own = fileFields(t);
    const count = Math.min(Number(values[`${p}_count`] ?? own.length) || 0, own.length);
    const fields: EditorField[] = [];
    for (let i = 0; i < count; i++) {
      const n = `${p}_f${i}`;
      const found = own[i]!;
      const typeRaw = values[`${n}_type`] ?? '';
      const type = FIELD_TYPES.includes(typeRaw as FieldType) ? (typeRaw as FieldType) : undefined;
      const effective = type ?? (FIELD_TYPES.includes(found.type as FieldType) ? (found.type as FieldType) : undefined);
      const c: FieldConstraints = {};
      if (values[`${n}_required`] === 'on') c.required = true;
      const min = bound(values[`${n}_min`], effective);
      const max = bound(values[`${n}_max`], effective);
      if (min !== undefined) c.minimum = min;
      if (max !== undefined) c.maximum = max;
      const allowed = list(values[`${n}_enum`]);
      if (allowed.length) c.enum = allowed;
      const title = (values[`${n}_title`] ?? found.title).trim();
      // Bounds compare numbers or dates: they fix the type they were given for.
      const pinned = type ?? (min !== undefined || max !== undefined ? effective : undefined);
      fields.push({
        name: (values[`${n}_name`] ?? found.id).trim(),
        // The header as the file has it, so that a renamed field still finds its column.
        title: title || found.title,
        ...(pinned ? { type: pinned } : {}),
        ...(Object.keys(c).length ? { constraints: c } : {}),
      });
    }
    out.set(t.sheet, { fields, missingValues: ['', ...list(values[`${p}_missing`])] });
  }
  return out;
}
