import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { recordAudit, type AuditActor } from '../../platform/audit/index.js';
import type { Principal } from '../../platform/auth/index.js';
import { inTransaction, type Db } from '../../platform/db/index.js';
import { badRequest, conflict } from '../../platform/http/index.js';
import { setDatastoreActive } from '../catalog/index.js';
import { ckanFieldType, CKAN_TYPE_NAMES, fieldInput } from './field-types.js';
import { classify } from './ingest/classify.js';
import { MAX_JSON_DEPTH, tooDeep } from './ingest/json-depth.js';
import { ColumnInference, pgType } from './ingest/infer.js';
import { fieldIds, ident } from './ingest/names.js';
import type { LoadedField } from './ingest/write-table.js';
import { addPrimaryKey, DuplicateKey } from './keys.js';
import { dropResourceData } from './loader.js';
import { TableQueries, type Filter } from './query.js';
import { lockResource, pushRepo, tableRepo } from './repository.js';
import { editableResource, noTable } from './service.js';
import { currentView, versionTable } from './table-key.js';
import { SECTOR_TEMPLATES, templateById } from './templates.js';
import type { DatastoreTableRow } from './tables.js';

/** Rows one call may write (datastore_create, datastore_upsert, the push API). */
export const MAX_RECORDS = 50_000;

export type WriteMethod = 'insert' | 'upsert' | 'update';
type Rec = Record<string, unknown>;

const bad = (field: string, vi: string, en: string) => conflict('datastore_invalid', { vi, en }, field);

/** A field as datastore_create declares it: {id, type?, info?}. */
export interface FieldSpec {
  id: string;
  type?: string;
  info?: { label?: string };
}

function checkRecords(records: unknown): Rec[] {
  if (!Array.isArray(records)) throw bad('records', 'Phải là một danh sách các đối tượng.', 'Must be a list of objects.');
  if (records.length > MAX_RECORDS)
    throw bad('records', `Tối đa ${MAX_RECORDS} dòng mỗi lần gửi.`, `At most ${MAX_RECORDS} records per call; send them in batches.`);
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r))
      throw bad('records', `Dòng ${i + 1} không phải đối tượng JSON.`, `Row ${i + 1} is not a JSON object.`);
    if (tooDeep(r)) throw bad('records', `Dòng ${i + 1} lồng quá ${MAX_JSON_DEPTH} cấp.`, `Row ${i + 1} nests deeper than ${MAX_JSON_DEPTH} levels.`);
  });
  return records as Rec[];
}

/** The declared fields as stored ones; the type of a field declared without one (or only seen in records) is inferred from the records. */
function declaredFields(specs: FieldSpec[], records: Rec[], existing: LoadedField[]): LoadedField[] {
  const byId = new Map(existing.map((f) => [f.id, f]));
  const seen = new Set(existing.map((f) => f.id.toLowerCase()));
  const out: LoadedField[] = [];
  const all = [...specs];
  for (const r of records) for (const k of Object.keys(r)) if (k !== '_id' && !all.some((s) => s.id === k) && !byId.has(k)) all.push({ id: k });
  for (const spec of all) {
    if (typeof spec?.id !== 'string') throw bad('fields', 'Mỗi trường cần có "id".', 'Each field needs an "id".');
    const [clean] = fieldIds([spec.id]);
    if (clean !== spec.id.normalize('NFC') || spec.id.startsWith('_'))
      throw bad(
        'fields',
        `Tên trường “${spec.id}” không hợp lệ.`,
        `"${spec.id}" is not a valid field name (no leading "_", no double quotes, at most 59 bytes).`,
      );
    const old = byId.get(clean!);
    let t = spec.type ? ckanFieldType(spec.type) : undefined;
    if (spec.type && !t)
      throw bad('fields', `Kiểu “${spec.type}” không hợp lệ.`, `"${spec.type}" is not a valid field type (one of ${CKAN_TYPE_NAMES.join(', ')}).`);
    if (old) {
      if (t && t.pgType !== old.pgType)
        throw bad('fields', `Trường “${old.id}” đã có kiểu ${old.pgType}.`, `Field "${old.id}" already has type ${old.pgType}, not ${t.pgType}.`);
      continue;
    }
    if (seen.has(clean!.toLowerCase())) throw bad('fields', `Trường “${clean}” bị trùng.`, `Duplicate field "${clean}".`);
    seen.add(clean!.toLowerCase());
    if (!t) {
      const inf = new ColumnInference();
      for (const r of records) {
        const v = r[clean!];
        if (v === null || v === undefined || v === '') continue;
        inf.add(typeof v === 'object' ? 0 : classify(String(v)));
      }
      const guess = inf.result(true);
      const nested = records.some((r) => r[clean!] !== null && typeof r[clean!] === 'object');
      t = nested ? ckanFieldType('json')! : { type: guess.type, pgType: pgType(guess), ...(guess.type === 'datetime' ? { zoned: !!guess.zoned } : {}) };
    }
    out.push({ id: clean!, title: spec.info?.label ?? clean!, type: t.type, pgType: t.pgType, ...(t.type === 'datetime' ? { zoned: !!t.zoned } : {}) });
  }
  return out;
}

/** Each record's values as PostgreSQL input text, field by field; a value that fits no field's type is a 409 naming the row and field. */
function encodeRecords(fields: LoadedField[], records: Rec[], allowId: boolean, rowNumbers: number[]): (string | null)[][] {
  const byId = new Map(fields.map((f) => [f.id, f]));
  return records.map((r, k) => {
    const i = rowNumbers[k]! - 1;
    const extra = Object.keys(r).filter((k) => !byId.has(k) && !(allowId && k === '_id'));
    if (extra.length)
      throw bad('records', `Dòng ${i + 1} có trường không có trong bảng: ${extra.join(', ')}.`, `row "${i + 1}" has extra keys "${extra.join('", "')}"`);
    return fields.map((f) => {
      const v = fieldInput(f, r[f.id]);
      if (v === undefined)
        throw bad(
          'records',
          `Dòng ${i + 1}, trường “${f.id}”: giá trị ${JSON.stringify(r[f.id])} không phải kiểu ${f.pgType}.`,
          `row ${i + 1}, field "${f.id}": ${JSON.stringify(r[f.id])} is not a valid ${f.pgType}`,
        );
      return v;
    });
  });
}

const cast = (f: LoadedField) => (f.pgType === 'text' ? '' : `::${f.pgType}`);

/** `select` of the records as typed columns, from one text array per column (and the row ids, when given). */
function unnested(fields: LoadedField[], ids: string[] | null, values: (string | null)[][]): RawBuilder<unknown> {
  const arrays = fields.map((_, i) => sql`${sql.val(values.map((row) => row[i] ?? null))}::text[]`);
  const names = fields.map((_, i) => `c${i}`);
  const typed = fields.map((f, i) => `c${i}${cast(f)} as ${ident(f.id)}`);
  if (!ids) return sql`select ${sql.raw(typed.join(', '))} from unnest(${sql.join(arrays)}) as u(${sql.raw(names.join(', '))})`;
  const more = (xs: string[]) => sql.raw(xs.map((x) => `, ${x}`).join(''));
  return sql`select u_id as _id${more(typed)} from unnest(${sql.val(ids)}::bigint[]${arrays.length ? sql`, ${sql.join(arrays)}` : sql``}) as u(u_id${more(names)})`;
}

async function nextIds(trx: Db, table: string, n: number): Promise<number[]> {
  const r = await sql<{ m: number }>`select coalesce(max(_id), 0)::int8 as m from ${sql.raw(table)}`.execute(trx);
  const start = Number(r.rows[0]!.m);
  return Array.from({ length: n }, (_, i) => start + i + 1);
}

/** A unique-key clash (23505) as the caller's error. */
function duplicate(e: unknown): unknown {
  if ((e as { code?: string }).code === '23505')
    return conflict('datastore_duplicate', { vi: 'Trùng khoá chính với một dòng đã có.', en: 'A record has the same key as an existing row.' }, 'records');
  if (['22P02', '22007', '22008', '22003'].includes((e as { code?: string }).code ?? ''))
    return conflict('datastore_invalid', { vi: 'Một giá trị không đúng kiểu của trường.', en: 'A value does not fit the type of its field.' }, 'records');
  return e;
}

interface WriteCounts {
  inserted: number;
  updated: number;
}

/** Writes records into the table (its current version), by method; all or nothing with the caller's transaction. */
async function writeRecords(trx: Db, t: DatastoreTableRow, records: Rec[], method: WriteMethod): Promise<WriteCounts> {
  if (!records.length) return { inserted: 0, updated: 0 };
  const key = t.primary_key.length ? t.primary_key : ['_id'];
  // Records with the same fields go in one statement; fields a record leaves out are not touched on update.
  const groups = new Map<string, { rows: Rec[]; numbers: number[] }>();
  records.forEach((r, i) => {
    const sig = Object.keys(r).sort().join('\u0000');
    const g = groups.get(sig) ?? groups.set(sig, { rows: [], numbers: [] }).get(sig)!;
    g.rows.push(r);
    g.numbers.push(i + 1);
  });
  const counts = { inserted: 0, updated: 0 };
  for (const { rows: group, numbers } of groups.values()) {
    const present = new Set(Object.keys(group[0]!));
    const hasId = present.has('_id');
    const fields = t.fields.filter((f) => method === 'insert' || present.has(f.id));
    const values = encodeRecords(fields, group, method !== 'insert', numbers);
    if (method !== 'insert') {
      const missing = key.filter((k) => !present.has(k));
      if (missing.length) throw bad('records', `Thiếu trường khoá: ${missing.join(', ')}.`, `fields "${missing.join('", "')}" are missing`);
    }
    const table = sql.raw(t.table_name);
    const colList = fields.map((f) => ident(f.id)).join(', ');
    try {
      if (method === 'update') {
        const src = unnested(fields, hasId ? group.map((r) => String(r._id)) : null, values);
        const sets = fields.filter((f) => !key.includes(f.id)).map((f) => `${ident(f.id)} = u.${ident(f.id)}`);
        const match = key.map((k) => `t.${ident(k)} = u.${ident(k)}`).join(' and ');
        const set = sets.length ? sets.join(', ') : `${ident(key[0]!)} = t.${ident(key[0]!)}`;
        const r = await sql`update ${table} t set ${sql.raw(set)} from (${src}) u where ${sql.raw(match)} returning t._id`.execute(trx);
        if (r.rows.length !== group.length)
          throw bad('records', 'Có dòng không tìm thấy theo khoá để cập nhật.', `key(s) not found: ${group.length - r.rows.length} record(s) match no row`);
        counts.updated += r.rows.length;
        continue;
      }
      const ids = hasId && method === 'upsert' ? group.map((r) => String(r._id)) : (await nextIds(trx, t.table_name, group.length)).map(String);
      const updates = fields.filter((f) => !key.includes(f.id)).map((f) => `${ident(f.id)} = excluded.${ident(f.id)}`);
      const onConflict =
        method === 'upsert'
          ? sql.raw(` on conflict (${key.map(ident).join(', ')}) do update set ${updates.join(', ') || `${ident(key[0]!)} = excluded.${ident(key[0]!)}`}`)
          : sql``;
      const r = await sql<{
        inserted: boolean;
      }>`insert into ${table} (_id${sql.raw(colList ? `, ${colList}` : '')}) ${unnested(fields, ids, values)}${onConflict} returning (xmax = 0) as inserted`.execute(
        trx,
      );
      for (const row of r.rows)
        if (row.inserted) counts.inserted++;
        else counts.updated++;
    } catch (e) {
      throw duplicate(e);
    }
  }
  return counts;
}

/**
 * datastore_create: makes the resource's table (when it has none) with the declared fields —
 * types given or inferred from the records — or adds new fields to it; sets the unique key; and
 * appends the records. An editor of the dataset only; audited.
 */
export async function createTable(
  db: Db,
  p: Principal,
  actor: AuditActor,
  input: { resourceId: string; fields?: FieldSpec[]; records?: unknown; primaryKey?: string[]; template?: string },
): Promise<{ table: DatastoreTableRow; counts: WriteCounts }> {
  const { resource, userId } = await editableResource(db, p, input.resourceId);
  if (input.template !== undefined) {
    const tpl = templateById(input.template);
    if (!tpl)
      throw bad(
        'template',
        `Không có mẫu “${input.template}”.`,
        `"${input.template}" is not a template (one of ${SECTOR_TEMPLATES.map((x) => x.id).join(', ')}).`,
      );
    input = { ...input, fields: [...tpl.fields, ...(input.fields ?? [])], primaryKey: input.primaryKey ?? tpl.primaryKey };
  }
  const records = input.records === undefined ? [] : checkRecords(input.records);
  if (input.fields !== undefined && !Array.isArray(input.fields)) throw bad('fields', 'Phải là một danh sách.', 'Must be a list of field dicts.');
  return inTransaction(db, async (trx) => {
    const rid = resource.id;
    await lockResource(trx, rid);
    let t = await tableRepo.find(trx, rid);
    const added = declaredFields(input.fields ?? [], records, t?.fields ?? []);
    if (!t) {
      const version = await tableRepo.nextVersion(trx, rid);
      const table = versionTable(rid, version);
      await sql.raw(`create table ${table} (_id bigint primary key${added.map((f) => `, ${ident(f.id)} ${f.pgType}`).join('')})`).execute(trx);
      await sql.raw(`drop view if exists ${currentView(rid)}; create view ${currentView(rid)} as select * from ${table}`).execute(trx);
      await tableRepo.addVersion(trx, {
        resource_id: rid,
        version,
        table_name: table,
        tables: [table],
        row_count: 0,
        provenance: { source: { kind: 'api', action: 'datastore_create' }, by: userId, at: new Date().toISOString() },
      });
      await tableRepo.upsert(trx, {
        resource_id: rid,
        sheet: 1,
        sheet_name: null,
        version,
        table_name: table,
        fields: added,
        row_count: 0,
        primary_key: [],
        scope_column: null,
      });
    } else if (added.length) {
      for (const f of added) await sql.raw(`alter table ${t.table_name} add column ${ident(f.id)} ${f.pgType}`).execute(trx);
      // The view's columns are fixed when it is made: make it again with the new ones.
      await sql.raw(`drop view if exists ${currentView(rid)}; create view ${currentView(rid)} as select * from ${t.table_name}`).execute(trx);
      await tableRepo.upsert(trx, { ...t, fields: [...t.fields, ...added] });
    }
    t = (await tableRepo.find(trx, rid))!;
    if (input.primaryKey) {
      const unknown = input.primaryKey.filter((k) => !t!.fields.some((f) => f.id === k));
      if (unknown.length) throw bad('primary_key', `Không có trường: ${unknown.join(', ')}.`, `field(s) "${unknown.join('", "')}" not in fields`);
      await addPrimaryKey(trx, t.table_name, input.primaryKey).catch((e: unknown) => {
        throw e instanceof DuplicateKey ? bad('primary_key', e.message, e.message) : e;
      });
      await tableRepo.upsert(trx, { ...t, primary_key: input.primaryKey });
      t = { ...t, primary_key: input.primaryKey };
    }
    const scope = input.template ? templateById(input.template)!.scopeColumn : null;
    if (scope && !t.scope_column) {
      await tableRepo.upsert(trx, { ...t, scope_column: scope });
      t = { ...t, scope_column: scope };
    }
    const counts = await writeRecords(trx, t, records, 'insert');
    if (counts.inserted) await tableRepo.addRows(trx, rid, counts.inserted);
    await setDatastoreActive(trx, rid, true);
    await recordAudit(trx, actor, {
      action: 'datastore.create',
      entityType: 'resource',
      entityId: rid,
      details: { fields: added.map((f) => f.id), primaryKey: input.primaryKey ?? null, template: input.template ?? null, records: counts.inserted },
    });
    return { table: (await tableRepo.find(trx, rid))!, counts };
  });
}

export interface UpsertResult {
  resource_id: string;
  method: WriteMethod;
  inserted: number;
  updated: number;
  /** The answer was stored by an earlier call with the same idempotency key; nothing was written again. */
  replayed?: boolean;
}

/**
 * datastore_upsert and the push API: writes records into the resource's current table by method
 * (insert; upsert and update by the unique key, or `_id`). With an idempotency key, the first
 * call's answer is stored with its rows in one transaction and every retry gets it back without
 * writing again; the same key with a different body is refused. An editor of the dataset only.
 */
export async function upsertRecords(
  db: Db,
  p: Principal,
  actor: AuditActor,
  input: { resourceId: string; records: unknown; method?: string; idempotencyKey?: string },
): Promise<UpsertResult> {
  const method = (input.method ?? 'upsert') as WriteMethod;
  if (!['insert', 'upsert', 'update'].includes(method))
    throw bad('method', 'Phương thức là insert, upsert hoặc update.', `"${input.method}" is not a valid method (insert, upsert, update).`);
  const { resource } = await editableResource(db, p, input.resourceId);
  const records = checkRecords(input.records);
  const key = input.idempotencyKey?.trim();
  if (key !== undefined && (key.length < 1 || key.length > 200))
    throw badRequest(
      'datastore_idempotency_key',
      { vi: 'Khoá chống trùng dài 1–200 ký tự.', en: 'The idempotency key must be 1–200 characters.' },
      'idempotency_key',
    );
  const hash = createHash('sha256')
    .update(JSON.stringify([method, records]))
    .digest('hex');
  return inTransaction(db, async (trx) => {
    const rid = resource.id;
    await lockResource(trx, rid);
    if (key) {
      const done = await pushRepo.find(trx, rid, key);
      if (done) {
        if (done.request_sha256 !== hash)
          throw conflict(
            'datastore_idempotency_reused',
            { vi: 'Khoá chống trùng đã dùng cho một yêu cầu khác.', en: 'This idempotency key was used for a different request.' },
            'idempotency_key',
          );
        return { ...(done.response as UpsertResult), replayed: true };
      }
    }
    const t = await tableRepo.find(trx, rid);
    if (!t) throw noTable();
    const counts = await writeRecords(trx, t, records, method);
    // Updated rows change the table too (its updated_at is what the export's validators carry).
    if (counts.inserted || counts.updated) await tableRepo.addRows(trx, rid, counts.inserted);
    const result: UpsertResult = { resource_id: rid, method, ...counts };
    if (key) await pushRepo.insert(trx, { resource_id: rid, key, request_sha256: hash, response: result });
    await recordAudit(trx, actor, {
      action: 'datastore.upsert',
      entityType: 'resource',
      entityId: rid,
      details: { method, ...counts, ...(key ? { key } : {}) },
    });
    return result;
  });
}

/**
 * datastore_delete: the rows matching `filters`, or (without filters) the whole table, after which
 * the resource is no longer datastore_active. An editor of the dataset only; audited.
 */
export async function deleteRecords(
  db: Db,
  p: Principal,
  actor: AuditActor,
  input: { resourceId: string; filters?: Filter[] },
): Promise<{ deleted: number | null }> {
  const { resource } = await editableResource(db, p, input.resourceId);
  return inTransaction(db, async (trx) => {
    const rid = resource.id;
    await lockResource(trx, rid);
    const t = await tableRepo.find(trx, rid);
    if (!t) throw noTable();
    let deleted: number | null = null;
    if (input.filters?.length) {
      const n = await new TableQueries(currentView(rid), t.fields).delete(trx, { filters: input.filters });
      await tableRepo.addRows(trx, rid, -n);
      deleted = n;
    } else {
      await dropResourceData(trx, rid);
      await setDatastoreActive(trx, rid, false);
    }
    await recordAudit(trx, actor, { action: 'datastore.delete', entityType: 'resource', entityId: rid, details: { filters: input.filters ?? null, deleted } });
    return { deleted };
  });
}

/**
 * Shares a table by administrative unit (`column` holds unit codes: readers outside the owning
 * organization see only their units' rows; see scope.ts), or stops it (null). Editors; audited.
 */
export async function setScope(db: Db, p: Principal, actor: AuditActor, resourceId: string, column: string | null): Promise<DatastoreTableRow> {
  const { resource } = await editableResource(db, p, resourceId);
  return inTransaction(db, async (trx) => {
    await lockResource(trx, resource.id);
    const t = await tableRepo.find(trx, resource.id);
    if (!t) throw noTable();
    if (column !== null && !t.fields.some((f) => f.id === column)) throw bad('column', `Không có trường “${column}”.`, `field "${column}" not in table`);
    await tableRepo.upsert(trx, { ...t, scope_column: column });
    await recordAudit(trx, actor, { action: 'datastore.scope', entityType: 'resource', entityId: resource.id, details: { column } });
    return { ...t, scope_column: column };
  });
}
