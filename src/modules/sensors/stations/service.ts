import { sql } from 'kysely';
import type { Live } from '../live.js';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { notFound } from '../../../platform/http/index.js';
import { ownerOf, requireWriterOf } from '../sta/access.js';
import { createEntity, type WriteCtx } from '../sta/create.js';
import { publishStation } from './catalog.js';
import { checkStation, STATION_KINDS, STATION_MODES, type StationFields, type StationInput, type StationKind, type StationMode } from './input.js';

/** A station's metadata as pages and the API show it. */
export interface StationMeta {
  id: number;
  org: string | null;
  name: string;
  description: string;
  code: string | null;
  kind: StationKind;
  mode: StationMode | null;
  operator: string | null;
  adminUnit: { code: string; name: string } | null;
  longitude: number | null;
  latitude: number | null;
}

const NO_STATION = { vi: 'Không có trạm quan trắc này.', en: 'No such monitoring station.' };

/** The station keys of a Thing's properties; the others (a provider's own) are kept as they are. */
const propertiesOf = (f: StationFields, before: Record<string, unknown> = {}) => ({
  ...before,
  code: f.code,
  kind: f.kind,
  mode: f.mode,
  ...(f.operator ? { operator: f.operator } : { operator: undefined }),
  ...(f.adminUnit ? { adminUnit: f.adminUnit.code, adminUnitName: f.adminUnit.name } : { adminUnit: undefined, adminUnitName: undefined }),
});

const pointOf = (f: StationFields) => ({ type: 'Point', coordinates: [f.longitude, f.latitude] });

/** Reads a station's metadata; a Thing made through SensorThings without them is an air station of unknown mode. */
export async function getStation(db: Db, id: number): Promise<StationMeta> {
  const r = (
    await sql<{ id: string; org_id: string | null; name: string; description: string; properties: Record<string, unknown> | null; location: unknown }>`
      select t.id, t.org_id, t.name, t.description, t.properties,
             (select l.location from sta_thing_location tl join sta_location l on l.id = tl.location_id where tl.thing_id = t.id order by l.id desc limit 1) as location
        from sta_thing t where t.id = ${id}`.execute(db)
  ).rows[0];
  if (!r) throw notFound('station_not_found', NO_STATION);
  const pr = r.properties ?? {};
  const text = (k: string) => (typeof pr[k] === 'string' && pr[k] ? (pr[k] as string) : null);
  const point = r.location as { type?: string; coordinates?: number[] } | null;
  const xy = point?.type === 'Point' && Array.isArray(point.coordinates) ? point.coordinates : null;
  return {
    id: Number(r.id),
    org: r.org_id,
    name: r.name,
    description: r.description,
    code: text('code'),
    kind: stationKind(pr),
    mode: STATION_MODES.includes(pr.mode as StationMode) ? (pr.mode as StationMode) : null,
    operator: text('operator'),
    adminUnit: text('adminUnit') ? { code: text('adminUnit')!, name: text('adminUnitName') ?? text('adminUnit')! } : null,
    longitude: xy?.[0] ?? null,
    latitude: xy?.[1] ?? null,
  };
}

/** A Thing's kind of station: as its properties say, else air (stations made before the kinds were kept). */
export const stationKind = (properties: Record<string, unknown> | null | undefined): StationKind =>
  STATION_KINDS.includes(properties?.kind as StationKind) ? (properties!.kind as StationKind) : 'air';

const audit = (trx: Db, actor: AuditActor, action: string, id: number, details: Record<string, unknown>) =>
  recordAudit(trx, actor, { action: `sensors.station.${action}`, entityType: 'Things', entityId: String(id), details }, 'sensors');

/**
 * Adds a station: its Thing (metadata in the properties, the unit as its owner) with a point
 * Location, which makes the first HistoricalLocation, and its catalog dataset, in one
 * transaction. Answers the Thing's id. `base`: the public address the dataset's links use.
 */
export async function createStation(db: Db, p: Principal, actor: AuditActor, input: StationInput, base: string, live?: Live): Promise<number> {
  const f = await checkStation(db, p, input);
  const id = await db.transaction().execute((trx) => insertStation(trx, p, actor, f, base));
  await live?.announceIds(db, 'Things', [id]);
  return id;
}

/** Writes a checked station in the caller's transaction (a file's import adds its new stations with its results, all or nothing). */
export async function insertStation(trx: Db, p: Principal, actor: AuditActor, f: StationFields, base: string): Promise<number> {
  const c: WriteCtx = { trx, p, touched: new Map(), mayWrite: new Map() };
  const properties = JSON.parse(JSON.stringify({ organization: f.org, ...propertiesOf(f) })) as unknown;
  const id = await createEntity(c, 'Things', { name: f.name, description: f.description, properties, Locations: [locationBody(f)] }, 'Thing');
  await audit(trx, actor, 'create', id, { code: f.code, kind: f.kind });
  await publishStation(trx, p, actor, id, f, base);
  return id;
}

const locationBody = (f: StationFields) => ({
  name: f.name,
  description: f.adminUnit ? f.adminUnit.name : f.name,
  encodingType: 'application/geo+json',
  location: pointOf(f),
});

/**
 * Changes a station's metadata. Moved coordinates are a new Location (and HistoricalLocation), as
 * SensorThings keeps where a Thing was; the unit that owns it does not change. Answers whether
 * anything changed.
 */
export async function updateStation(db: Db, p: Principal, actor: AuditActor, id: number, input: StationInput, base: string, live?: Live): Promise<boolean> {
  const owner = await ownerOf(db, 'Things', id);
  if (!owner.exists) throw notFound('station_not_found', NO_STATION);
  requireWriterOf(p, owner);
  const f = await checkStation(db, p, input, { id, org: owner.org ?? null });
  const changed = await db.transaction().execute(async (trx) => {
    const before = await getStation(trx, id);
    const props = (await sql<{ properties: Record<string, unknown> | null }>`select properties from sta_thing where id = ${id} for update`.execute(trx))
      .rows[0]!.properties;
    const next = JSON.parse(JSON.stringify(propertiesOf(f, props ?? {}))) as Record<string, unknown>;
    const what: string[] = [];
    if (before.name !== f.name) what.push('name');
    if (before.description !== f.description) what.push('description');
    if (JSON.stringify(props ?? {}) !== JSON.stringify(next)) what.push('properties');
    if (what.length)
      await sql`update sta_thing set name = ${f.name}, description = ${f.description}, properties = ${JSON.stringify(next)}::jsonb where id = ${id}`.execute(
        trx,
      );
    // Moved: farther than a rounding of what the form showed (1e-9° is well under a millimetre).
    const moved = (a: number | null, b: number) => a === null || Math.abs(a - b) > 1e-9;
    if (moved(before.longitude, f.longitude) || moved(before.latitude, f.latitude)) {
      const c: WriteCtx = { trx, p, touched: new Map(), mayWrite: new Map() };
      await createEntity(c, 'Locations', { ...locationBody(f), Things: [{ '@iot.id': id }] }, 'Location');
      what.push('location');
    }
    if (what.length) {
      await audit(trx, actor, 'update', id, { changed: what });
      await publishStation(trx, p, actor, id, f, base);
    }
    return what.length > 0;
  });
  if (changed) await live?.announceIds(db, 'Things', [id]);
  return changed;
}
