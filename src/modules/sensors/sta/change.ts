import { sql } from 'kysely';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { ownerOf, requireWriterOf } from './access.js';
import { bad, missing } from './errors.js';
import { ENTITIES, type SetName } from './model.js';
import { columnsOf } from './values.js';

/** PATCH: changes only the properties given; related entities are not changed inline (400). Run in the caller's transaction. */
export async function patchEntity(db: Db, p: Principal, set: SetName, id: number, body: unknown): Promise<string[]> {
  const d = ENTITIES[set];
  const owner = await ownerOf(db, set, id);
  if (!owner.exists) throw missing(`${set}(${id})`);
  requireWriterOf(p, owner);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad(d.singular, 'a PATCH body is a JSON object', 'nội dung PATCH phải là đối tượng JSON');
  const cols: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '@iot.id' || k === '@iot.selfLink') continue;
    if (d.links[k]) throw bad(`${d.singular}.${k}`, 'related entities are not changed by PATCH', 'không đổi thực thể liên quan bằng PATCH');
    const prop = d.props[k];
    if (!prop) throw bad(`${d.singular}.${k}`, `${d.singular} has no such property`, `${d.singular} không có thuộc tính này`);
    if (prop.serverSet) throw bad(`${d.singular}.${k}`, 'is kept by the server', 'do máy chủ tự cập nhật');
    if (v === null && prop.required) throw bad(`${d.singular}.${k}`, 'is mandatory: it cannot be null', 'bắt buộc, không thể là null');
    Object.assign(cols, columnsOf(k, prop, v, d.singular));
    if (set === 'Observations' && k === 'result') cols.result_number = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  if (!Object.keys(cols).length) return [];
  if (set === 'Things' && 'properties' in cols) {
    // The owning organization is not changed through properties.
    const org = (body as { properties?: { organization?: unknown } }).properties?.organization;
    if (org !== undefined) throw bad('Thing.properties.organization', 'the owner of a Thing is not changed by PATCH', 'không đổi tổ chức sở hữu bằng PATCH');
  }
  await sql`update ${sql.table(d.table)} set ${sql.join(Object.entries(cols).map(([c, v]) => sql`${sql.id(c)} = ${v as never}`))} where id = ${id}`.execute(db);
  return Object.keys(body as object).filter((k) => d.props[k]);
}

/** DELETE: the entity and what depends on it (a Thing's Datastreams and their Observations). */
export async function deleteEntity(db: Db, p: Principal, set: SetName, id: number): Promise<void> {
  const owner = await ownerOf(db, set, id);
  if (!owner.exists) throw missing(`${set}(${id})`);
  requireWriterOf(p, owner);
  await sql`delete from ${sql.table(ENTITIES[set].table)} where id = ${id}`.execute(db);
}
