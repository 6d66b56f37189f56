import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import { readLinkRows, readUnitRows } from './data-files.js';
import { foldVi } from './fold.js';

/**
 * Loads the committed reference data (data/admin-units/) into empty tables. Idempotent: each table
 * is only filled when it is empty. One INSERT … SELECT over jsonb_array_elements per table (jsonb: parsed once, not per field).
 */
export async function seedReference(db: Db): Promise<void> {
  const { rows } = await sql<{ units: boolean; links: boolean }>`
    select exists(select 1 from admin_unit) as units, exists(select 1 from admin_unit_link) as links`.execute(db);
  const state = rows[0]!;
  if (!state.units) {
    // row: [code, name, name_en, level, type, parent_code, valid_from, valid_to, source] + name_key
    const payload = JSON.stringify(readUnitRows().map((r) => [...r, foldVi(r[1])]));
    await sql`
      insert into admin_unit (code, name, name_en, level, type, parent_code, valid_from, valid_to, source, name_key)
      select e->>0, e->>1, e->>2, e->>3, e->>4, e->>5, (e->>6)::date, (e->>7)::date, e->>8, e->>9
      from jsonb_array_elements(${payload}::jsonb) as e`.execute(db);
  }
  if (!state.links) {
    const payload = JSON.stringify(readLinkRows());
    await sql`
      insert into admin_unit_link (from_code, from_valid_from, to_code, to_valid_from, kind)
      select e->>0, (e->>1)::date, e->>2, (e->>3)::date, e->>4
      from jsonb_array_elements(${payload}::jsonb) as e`.execute(db);
  }
}
