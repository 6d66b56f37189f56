import type pg from 'pg';
import { applySchema, type ColumnRule, type EditorSchema } from './editor-schema.js';
import { pgType, type ColumnType } from './infer.js';
import { fieldIds } from './names.js';
import { ReportBuilder, type ValidationReport } from './report.js';
import { DEFAULT_MISSING, RowEncoder, speculate, type Widening } from './rows.js';
import type { CsvScanner } from './csv-scan.js';
import { TableWriter } from './table-writer.js';

/**
 * Rows of one table in batches: string cells (`numbers`, when given, are each row's number in
 * the file, for the report), or a text file's rows as the scanner reads them from the decoded
 * bytes. The first batch holds string rows (the header and the sample the types start from).
 */
export type RowBatch = { rows: string[][]; numbers?: number[]; scan?: undefined } | { scan: CsvScanner; rows?: undefined; numbers?: undefined };

/** One table's rows, from whatever reader: reopened for each pass (a second pass is rare: see `writeTable`). */
export interface TableRows {
  open(): AsyncIterable<RowBatch>;
  /** The header, when the reader found it (a spreadsheet's layout, JSON keys); else the first row with text is the header. */
  header?: string[];
  /** Numbers the reader wrote itself (spreadsheet cells) are in the English style: a number that fits both styles is read so. */
  numbersEn?: boolean;
  /** Columns the reader knows the type of (GeoJSON geometry), written as text and cast after the load. */
  jsonColumns?: string[];
  /** What the reader did that the report should say (title rows skipped, totals rows left out…). */
  notes?: string[];
  name: string;
  sha256?: string | undefined;
  /** Bytes read so far and in all, for progress. */
  bytes(): number;
  total: number;
}

export interface LoadedField {
  id: string;
  /** The header cell as written. */
  title: string;
  type: ColumnType['type'] | 'object' | 'time' | 'array';
  style?: ColumnType['style'];
  zoned?: boolean;
  pgType: string;
  /** Legacy font converted in this column. */
  converted?: string;
  /** Set by the editor's schema. */
  description?: string;
  constraints?: ColumnRule['constraints'];
}

export interface TableOutcome {
  valid: boolean;
  report: ValidationReport;
  fields: LoadedField[];
  /** The ids of the derived columns (the last fields), in the order `derive` gave them. */
  derived: string[];
  rows: number;
  passes: number;
}

export interface LoadProgress {
  rows: number;
  bytes: number;
  total: number;
}

/**
 * A column computed from another as rows are written (an administrative unit's code from its
 * name): text, appended after the file's columns, in the same COPY — no second write.
 */
export interface DerivedColumn {
  title: string;
  /** The index of the column it is computed from. */
  source: number;
  /** The value for one cell of the source (already trimmed, converted and NFC; null when missing). */
  value(cell: string | null): string | null;
}

export interface WriteOptions {
  /** Columns to compute, chosen from the header. */
  derive?: ((title: string[]) => DerivedColumn[]) | undefined;
  missingValues?: string[];
  /** The editor's schema for this table: names, titles, types, constraints, missing values. */
  schema?: EditorSchema | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Thrown by a reader or the writer to read the rows once more (with final column types, or another decoding the reader chose). */
export class RetryPass extends Error {
  constructor(readonly types: ColumnType[] | null) {
    super('retry');
  }
}

/**
 * Writes a table's rows into a new table `table` through `client`, inside the caller's
 * transaction: type inference over every value and COPY run in one streaming pass. The columns
 * start with the types the first rows show and widen in place when a later value needs it; when
 * the end shows that a column must be written differently (text after all, the other number
 * style), the table is dropped (a savepoint) and the rows read once more with the final types.
 * Never half a table: the caller commits only a valid outcome.
 */
export async function writeTable(client: pg.PoolClient, table: string, rows: TableRows, opts: WriteOptions = {}): Promise<TableOutcome> {
  const missing = new Set(opts.schema?.missingValues ?? opts.missingValues ?? DEFAULT_MISSING);
  let types: ColumnType[] | null = null;
  for (let pass = 1; ; pass++) {
    await client.query(`savepoint load_pass`);
    try {
      const out = await onePass(client, table, rows, types, missing, opts);
      await client.query('release savepoint load_pass');
      return { ...out, passes: pass };
    } catch (e) {
      await client.query('rollback to savepoint load_pass');
      if (!(e instanceof RetryPass) || pass >= 3) throw e;
      types = e.types ?? types;
    }
  }
}

async function onePass(
  client: pg.PoolClient,
  table: string,
  rows: TableRows,
  forced: ColumnType[] | null,
  missing: Set<string>,
  opts: WriteOptions,
): Promise<Omit<TableOutcome, 'passes'>> {
  const report = new ReportBuilder();
  for (const n of rows.notes ?? []) report.warn(n);
  let enc: RowEncoder | undefined;
  let writer: TableWriter | undefined;
  let rowNumber = 0;
  let title: string[] = [];
  let derived: DerivedColumn[] = [];
  let rules: ColumnRule[] = [];
  try {
    const widen = async (w: Widening) => {
      const { column, to } = w;
      await writer!.write(enc!.out.take());
      await writer!.widen(column, to);
      enc!.types[column] = to;
    };
    for await (const { rows: batch, numbers, scan } of rows.open()) {
      opts.signal?.throwIfAborted();
      let start = 0;
      if (!enc) {
        if (!batch) throw new Error('a reader gives its first rows as text');
        let sample: string[][];
        if (rows.header) {
          title = rows.header.map((c) => c.trim().normalize('NFC'));
          sample = batch.slice(0, 5000);
        } else {
          // The header: the first row with any text.
          while (start < batch.length && batch[start]!.every((c) => c.trim() === '')) start++;
          if (start >= batch.length) continue;
          title = batch[start]!.map((c) => c.trim().normalize('NFC'));
          while (title.length > 1 && title[title.length - 1] === '') title.pop();
          rowNumber = start + 1;
          start++;
          sample = batch.slice(start, start + 5000);
        }
        const probe = new RowEncoder(fieldIds(title), [], missing, report, { preferEn: !!rows.numbersEn });
        probe.detectLegacy(sample);
        // A second header row (units under the names, as monitoring files have): text where the rows below hold numbers or dates.
        const named = title;
        if (!rows.header && isUnitsRow(probe, sample, missing)) {
          title = title.map((t, i) => (sample[0]![i]?.trim() ? `${t} (${sample[0]![i]!.trim()})` : t));
          report.warn(`Dòng ${rowNumber + 1} được đọc là dòng đơn vị của tiêu đề / Row ${rowNumber + 1} read as the header's units row`);
          start++;
          rowNumber++;
          sample = sample.slice(1);
        }
        const applied = applySchema(opts.schema, named, title);
        rules = applied.rules;
        for (const name of applied.unmatched)
          report.add({
            type: 'schema-error',
            fieldName: name,
            message: `Cột “${name}” của lược đồ không khớp cột nào của tệp / The schema's field "${name}" matches no column of the file`,
          });
        enc = new RowEncoder(
          rules.map((r) => r.id),
          [],
          missing,
          report,
          { preferEn: !!rows.numbersEn, rules },
        );
        enc.legacy.splice(0, enc.legacy.length, ...probe.legacy);
        const guessed = forced ?? speculate(enc, sample, missing);
        enc.types = guessed.map((t, i): ColumnType => {
          const pin = rules[i]?.type;
          if (!pin || pin === t.type) return t;
          return pin === 'integer' || pin === 'number' ? { type: pin, style: t.style ?? (rows.numbersEn ? 'en' : 'vn') } : { type: pin };
        });
        derived = opts.derive?.(title) ?? [];
        enc.derive = derived;
        const all = [...enc.ids, ...fieldIds([...enc.ids, ...derived.map((d) => d.title)]).slice(enc.ids.length)];
        const dup = all.find((id, i) => all.findIndex((x) => x.toLowerCase() === id.toLowerCase()) !== i);
        if (dup) {
          report.add({ type: 'schema-error', fieldName: dup, message: `Tên cột “${dup}” bị trùng / The field name "${dup}" is used twice` });
          const task = { name: rows.name, place: rows.name, bytes: rows.bytes(), rows: 0, fields: 0 };
          return { valid: false, report: report.build(task), fields: [], derived: [], rows: 0 };
        }
        writer = new TableWriter(client, table, all);
        await writer.create([...enc.types, ...derived.map((): ColumnType => ({ type: 'string' }))]);
      }
      if (batch)
        for (let i = start; i < batch.length; i++) {
          rowNumber = numbers ? numbers[i]! : rowNumber + 1;
          const r = enc.encode(batch[i]!, rowNumber);
          if (r === null || r === true) continue;
          await widen(r);
          i--;
          if (!numbers) rowNumber--;
        }
      else
        while (scan.next()) {
          rowNumber++;
          for (let r = enc.encodeScanned(scan, rowNumber); r !== null && r !== true; r = enc.encodeScanned(scan, rowNumber)) await widen(r);
        }
      await writer!.write(enc.out.take());
      opts.onProgress?.({ rows: enc.rows, bytes: rows.bytes(), total: rows.total });
    }
  } catch (e) {
    writer?.abort();
    throw e;
  }
  const task = { name: rows.name, place: rows.name, bytes: rows.bytes(), ...(rows.sha256 ? { sha256: rows.sha256 } : {}) };
  if (!enc || !writer) {
    report.add({ type: 'blank-header', message: 'Tệp không có dòng tiêu đề / The file has no header row' });
    return { valid: false, report: report.build({ ...task, rows: 0, fields: 0 }), fields: [], derived: [], rows: 0 };
  }
  await writer.flush();
  const retype = forced ? null : enc.settle();
  if (retype) throw new RetryPass(retype);
  if (forced) enc.settle();
  if (enc.blankRows) report.warn(`${enc.blankRows} dòng trống được bỏ qua / ${enc.blankRows} blank rows skipped`);
  const json = new Set(rows.jsonColumns ?? []);
  const fields: LoadedField[] = enc.ids.map((id, i) => {
    const t = enc!.types[i]!;
    if (json.has(title[i] ?? '') && t.type === 'string') return { id, title: title[i] ?? id, type: 'object', pgType: 'jsonb' };
    const rule = rules[i];
    return {
      id,
      title: rule?.title ?? title[i] ?? id,
      type: t.type,
      ...(t.style && (t.type === 'number' || t.type === 'integer') ? { style: t.style } : {}),
      ...(t.type === 'datetime' ? { zoned: !!t.zoned } : {}),
      pgType: pgType(t),
      ...(enc!.legacy[i] ? { converted: enc!.legacy[i]! } : {}),
      ...(rule?.description ? { description: rule.description } : {}),
      ...(rule?.constraints ? { constraints: rule.constraints } : {}),
    };
  });
  const derivedIds = fieldIds([...enc.ids, ...derived.map((d) => d.title)]).slice(enc.ids.length);
  fields.push(...derivedIds.map((id): LoadedField => ({ id, title: id, type: 'string', pgType: 'text' })));
  for (const f of fields) if (f.pgType === 'jsonb') await writer.castJson(f.id);
  const built = report.build({ ...task, rows: enc.rows, fields: fields.length });
  if (built.valid) await writer.addRowKey();
  return { valid: built.valid, report: built, fields, derived: derivedIds, rows: enc.rows };
}

function isUnitsRow(enc: RowEncoder, sample: string[][], missing: Set<string>): boolean {
  if (sample.length < 3) return false;
  const below = speculate(enc, sample.slice(1), missing);
  const typed = below.map((t, i) => i).filter((i) => below[i]!.type !== 'string');
  if (typed.length < 2) return false;
  const first = speculate(enc, [sample[0]!], missing);
  const text = typed.filter((i) => first[i]!.type === 'string' && (sample[0]![i] ?? '').trim() !== '');
  return text.length * 2 >= typed.length;
}
