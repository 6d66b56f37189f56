import type { Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { unitScope } from '../admin-units/index.js';
import { viewerOf } from '../catalog/index.js';
import { organizationsByIds } from '../organizations/index.js';
import type { DatastoreTableRow } from './tables.js';

/** The rows a reader may see of a table shared by unit: those whose `column` holds one of `codes`. */
export interface RowScope {
  column: string;
  codes: string[];
}

/**
 * Row-level sharing by administrative unit, the one rule every read path applies (search, SQL,
 * aggregates, previews, exports all get their table through `readableTable`): a table without a
 * unit column is read whole; otherwise sysadmins and the owning organization see every row, a
 * province-level organization (unit code of 2 digits) every row, a district's organization its
 * district and communes, a commune's its commune (with the units merged into it), and anyone else
 * — no unit, or not signed in — no row.
 */
export async function rowScope(db: Db, p: Principal, ownerOrg: string, table: Pick<DatastoreTableRow, 'scope_column'>): Promise<RowScope | null> {
  const column = table.scope_column;
  if (!column) return null;
  const v = await viewerOf(db, p);
  if (v.isSysadmin || v.orgIds.includes(ownerOrg)) return null;
  const codes = new Set<string>();
  for (const org of await organizationsByIds(db, v.orgIds)) {
    const code = org.admin_unit_code;
    if (!code) continue;
    if (code.length === 2) return null;
    for (const c of await unitScope(db, code)) codes.add(c);
  }
  return { column, codes: [...codes].filter((c) => /^\d{2,5}$/.test(c)).sort() };
}

/** The scope as an SQL condition (codes are digits only, so they are written inline; COPY takes no parameters). */
export function scopeCondition(scope: RowScope, ident: (s: string) => string): string {
  if (!scope.codes.length) return 'false';
  return `${ident(scope.column)}::text = any(array[${scope.codes.map((c) => `'${c}'`).join(',')}])`;
}
