import { sql } from 'kysely';
import { hasOrgRole, requireOrgRole, requireSysadmin, requireUser, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { forbidden } from '../../../platform/http/index.js';
import { findOrganization } from '../../organizations/index.js';
import { bad } from './errors.js';
import type { SetName } from './model.js';

const NO_ROLE = { vi: 'Bạn không có quyền ghi dữ liệu quan trắc.', en: 'You may not write monitoring data.' };

/**
 * Who may write. Reads are public. A Thing belongs to an organization: its editors and admins
 * write the Thing, its Datastreams and their Observations. The shared descriptions (Sensors,
 * ObservedProperties, Locations, FeaturesOfInterest) may be created by any organization's
 * editor, and changed or deleted only by a sysadmin, since other organizations' data may use them.
 */
export function requireAnyEditor(p: Principal): void {
  const user = requireUser(p);
  if (user.isSysadmin) return;
  if (![...p.memberships.values()].some((r) => r === 'editor' || r === 'admin')) throw forbidden('forbidden', NO_ROLE);
}

/** The organization a new Thing goes to: `properties.organization` (id or slug), or the writer's only organization. */
export async function orgForNewThing(db: Db, p: Principal, properties: unknown, where: string): Promise<string | null> {
  const user = requireUser(p);
  const named = properties && typeof properties === 'object' ? (properties as Record<string, unknown>).organization : undefined;
  if (typeof named === 'string' && named) {
    const org = await findOrganization(db, named);
    if (!org) throw bad(`${where}.properties.organization`, `no organization "${named}"`, `không có tổ chức "${named}"`);
    requireOrgRole(p, org.id, 'editor');
    return org.id;
  }
  const mine = [...p.memberships.entries()].filter(([, r]) => r === 'editor' || r === 'admin').map(([id]) => id);
  if (mine.length === 1) return mine[0]!;
  if (user.isSysadmin && !mine.length) return null;
  if (!mine.length) throw forbidden('forbidden', NO_ROLE);
  throw bad(
    `${where}.properties.organization`,
    'you edit for several organizations: name the one this Thing belongs to',
    'bạn thuộc nhiều tổ chức: hãy ghi rõ tổ chức sở hữu',
  );
}

/** The organization that owns an entity's data (through its Thing), or undefined for a shared description. */
export async function ownerOf(db: Db, set: SetName, id: number): Promise<{ exists: boolean; org?: string | null }> {
  const one = async (q: ReturnType<typeof sql<{ org_id: string | null }>>) => {
    const r = (await q.execute(db)).rows[0];
    return r ? { exists: true, org: r.org_id } : { exists: false };
  };
  switch (set) {
    case 'Things':
      return one(sql<{ org_id: string | null }>`select org_id from sta_thing where id = ${id}`);
    case 'Datastreams':
      return one(sql<{ org_id: string | null }>`select t.org_id from sta_datastream d join sta_thing t on t.id = d.thing_id where d.id = ${id}`);
    case 'Observations':
      return one(
        sql<{
          org_id: string | null;
        }>`select t.org_id from sta_observation o join sta_datastream d on d.id = o.datastream_id join sta_thing t on t.id = d.thing_id where o.id = ${id}`,
      );
    case 'HistoricalLocations':
      return one(sql<{ org_id: string | null }>`select t.org_id from sta_historical_location h join sta_thing t on t.id = h.thing_id where h.id = ${id}`);
    default: {
      const table = { Locations: 'sta_location', Sensors: 'sta_sensor', ObservedProperties: 'sta_observed_property', FeaturesOfInterest: 'sta_feature' }[set];
      const r = (await sql<{ id: string }>`select id from ${sql.table(table)} where id = ${id}`.execute(db)).rows[0];
      return r ? { exists: true } : { exists: false };
    }
  }
}

/** May this principal change (or delete) the entity? Owned data: its organization's editors; shared: sysadmins. */
export function requireWriterOf(p: Principal, owner: { org?: string | null }): void {
  requireUser(p);
  if (owner.org === undefined || owner.org === null) {
    requireSysadmin(p);
    return;
  }
  if (!hasOrgRole(p, owner.org, 'editor')) throw forbidden('forbidden', NO_ROLE);
}
