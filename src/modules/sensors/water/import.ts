import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import { requireOrgRole, type Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { AppError, badRequest, notFound } from '../../../platform/http/index.js';
import { findOrganization } from '../../organizations/index.js';
import { computeWqi, WqiDataError } from '../indices/wqi.js';
import { insertObservations } from '../sta/batch-insert.js';
import { createEntity, type WriteCtx } from '../sta/create.js';
import type { Live } from '../live.js';
import type { Partitions } from '../sta/partitions.js';
import type { Row } from '../sta/read.js';
import { STATION_CODE } from '../stations/input.js';
import { insertStation } from '../stations/service.js';
import { LabFileError, readLabFile, type LabSample } from './lab-file.js';
import { canonicalUnit, UCUM, unitOf, WATER_KEYS, type WaterKey, type WaterUnit } from './parameters.js';

export interface WaterImportOptions {
  /** The unit whose stations the results are for (id or slug). */
  org: string;
  rows: string[][];
  /** "As:mg/L,Cd:mg/L": the unit of a column when the file's is wrong. */
  units?: string | undefined;
  /** Stations the unit does not have yet are added (from the file's code, name and coordinates) instead of refused. */
  createStations?: boolean;
  /** The public address the new stations' catalog datasets link to. */
  base: string;
  /** Told, after the commit, of the observations and the stations the import wrote (the map and MQTT subscribers). */
  live?: Live;
}

export interface WaterImportReport {
  samples: number;
  stored: number;
  /** Results the stations already had (a file imported again stores nothing twice). */
  alreadyStored: number;
  stationsCreated: string[];
  columns: { header: string; parameter: WaterKey; unit: WaterUnit; stored: WaterUnit }[];
  ignored: string[];
  notDetected: number;
  missing: number;
  /** Each sample's VN_WQI (or why it cannot be computed), in the file's order. */
  wqi: { line: number; station: string; date: string; wqi: number | null; note: string | null }[];
}

const LAB_SENSOR = {
  name: 'Phân tích phòng thí nghiệm',
  description: 'Mẫu nước mặt lấy tại hiện trường và phân tích tại phòng thí nghiệm / Field samples analysed in a laboratory',
  encodingType: 'text/plain',
  metadata: 'QCVN 08:2023/BTNMT; TCVN methods as the laboratory reports them',
};

/** A sample's time: the day (Vietnam's calendar) as an interval, or the instant when the file gives the time. */
export function sampleTime(s: Pick<LabSample, 'date' | 'time'>): { start: Date; end: Date | null; text: string } {
  if (s.time) {
    const start = new Date(`${s.date}T${s.time}:00+07:00`);
    return { start, end: null, text: start.toISOString() };
  }
  const start = new Date(`${s.date}T00:00:00+07:00`);
  const end = new Date(start.getTime() + 86_400_000);
  return { start, end, text: `${start.toISOString()}/${end.toISOString()}` };
}

function parseUnits(text: string | undefined): Partial<Record<WaterKey, WaterUnit>> {
  const out: Partial<Record<WaterKey, WaterUnit>> = {};
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, unit] = part.split(':').map((s) => s.trim());
    const key = WATER_KEYS.find((k) => k.toLowerCase() === (name ?? '').toLowerCase());
    const u = unitOf(unit ?? '');
    if (!key || u === null)
      throw badRequest(
        'invalid_units',
        { vi: `units: “${part}” — viết THÔNG_SỐ:ĐƠN_VỊ, ví dụ As:mg/L.`, en: `units: "${part}" — write PARAMETER:UNIT, e.g. As:mg/L.` },
        'units',
      );
    out[key] = u;
  }
  return out;
}

/** Finds a shared description by its name, or makes it. */
async function sharedId(c: WriteCtx, set: 'Sensors' | 'ObservedProperties', body: Record<string, string>): Promise<number> {
  const table = set === 'Sensors' ? 'sta_sensor' : 'sta_observed_property';
  const found = (await sql<{ id: string }>`select id from ${sql.table(table)} where name = ${body.name} order by id limit 1`.execute(c.trx)).rows[0];
  return found ? Number(found.id) : createEntity(c, set, body, set === 'Sensors' ? 'Sensor' : 'ObservedProperty');
}

/**
 * Imports a laboratory results file for one unit's water stations, in one transaction: each value
 * an Observation of its parameter's Datastream (made on first use, in the decision's unit), results
 * already stored skipped, stations matched by their code (or added, with `createStations`). A file
 * with any unreadable cell, unknown station or unit is refused whole, every problem named.
 */
export async function importWaterResults(db: Db, partitions: Partitions, p: Principal, actor: AuditActor, o: WaterImportOptions): Promise<WaterImportReport> {
  const org = o.org ? await findOrganization(db, o.org) : undefined;
  if (!org) throw notFound('unknown_org', { vi: 'Không có đơn vị này.', en: 'No such unit.' }, 'org');
  requireOrgRole(p, org.id, 'editor');
  const units = parseUnits(o.units);
  let file;
  try {
    file = readLabFile(o.rows, units);
  } catch (e) {
    if (!(e instanceof LabFileError)) throw e;
    const first = e.problems.slice(0, 5).map((x) => `${x.line ? `dòng/line ${x.line}` : ''}${x.column ? ` [${x.column}]` : ''}: ${x.message}`);
    throw new AppError(
      400,
      'bad_file',
      { vi: `Tệp kết quả không đọc được — ${first.join('; ')}`, en: `The results file cannot be read — ${first.join('; ')}` },
      'file',
      {},
      { problems: e.problems },
    );
  }
  const coded = (
    await sql<{ id: string; code: string; kind: string | null }>`
      select id, properties->>'code' as code, properties->>'kind' as kind from sta_thing where org_id = ${org.id} and properties->>'code' is not null`.execute(
      db,
    )
  ).rows;
  const stations = new Map(coded.filter((r) => r.kind === 'water').map((r) => [r.code, Number(r.id)]));
  const notWater = [...new Set(file.samples.map((s) => s.code))].filter((c) => coded.some((r) => r.code === c && r.kind !== 'water'));
  if (notWater.length)
    throw badRequest(
      'not_water_stations',
      {
        vi: `Mã ${notWater.slice(0, 20).join(', ')} là trạm không khí của đơn vị, không nhận kết quả mẫu nước.`,
        en: `${notWater.slice(0, 20).join(', ')}: the unit's stations with these codes are air stations, which take no water results.`,
      },
      'file',
    );
  const unknown = [...new Set(file.samples.map((s) => s.code))].filter((c) => !stations.has(c));
  const placeOf = new Map<string, LabSample>();
  for (const s of file.samples) if (!stations.has(s.code) && s.longitude !== null && s.latitude !== null && !placeOf.has(s.code)) placeOf.set(s.code, s);
  if (unknown.length && !o.createStations)
    throw badRequest(
      'unknown_stations',
      {
        vi: `Đơn vị chưa có trạm mang mã: ${unknown.slice(0, 20).join(', ')}. Thêm trạm trước, hoặc chọn “thêm trạm mới từ tệp”.`,
        en: `The unit has no station with the code: ${unknown.slice(0, 20).join(', ')}. Add them first, or ask for new stations to be added from the file.`,
      },
      'file',
    );
  const badCode = unknown.filter((c) => !STATION_CODE.test(c) || (placeOf.get(c)?.name ?? '').length > 200);
  if (badCode.length && o.createStations)
    throw badRequest(
      'invalid_code',
      {
        vi: `Không thêm được trạm ${badCode.slice(0, 20).join(', ')}: mã trạm gồm 1–40 chữ, số, dấu chấm, gạch ngang hoặc gạch dưới; tên tối đa 200 ký tự.`,
        en: `Cannot add the stations ${badCode.slice(0, 20).join(', ')}: a code is 1–40 letters, digits, dots, hyphens or underscores, a name at most 200 characters.`,
      },
      'file',
    );
  const unplaced = unknown.filter((c) => !placeOf.has(c));
  if (unplaced.length)
    throw badRequest(
      'unknown_stations',
      {
        vi: `Không thêm được trạm ${unplaced.slice(0, 20).join(', ')}: tệp không có kinh độ, vĩ độ của trạm.`,
        en: `Cannot add the stations ${unplaced.slice(0, 20).join(', ')}: the file gives no longitude and latitude for them.`,
      },
      'file',
    );
  await partitions.ensure(
    db,
    file.samples.map((s) => sampleTime(s).start),
  );
  const created: number[] = [];
  const written: Row[] = [];
  const report = await db.transaction().execute(async (trx) => {
    const c: WriteCtx = { trx, p, touched: new Map(), mayWrite: new Map() };
    for (const code of unknown) {
      const s = placeOf.get(code)!;
      const id = await insertStation(
        trx,
        p,
        actor,
        {
          org: org.id,
          name: s.name ?? code,
          code,
          kind: 'water',
          mode: 'periodic',
          operator: null,
          description: '',
          longitude: s.longitude!,
          latitude: s.latitude!,
          adminUnit: null,
        },
        o.base,
      );
      stations.set(code, id);
      created.push(id);
    }
    // The Datastream of each (station, parameter), by the ObservedProperty's name; made on first use.
    const streams = new Map<string, number>();
    for (const r of (
      await sql<{ id: string; thing_id: string; name: string }>`
        select d.id, d.thing_id, op.name from sta_datastream d join sta_observed_property op on op.id = d.observed_property_id
         where d.thing_id = any(${[...new Set(stations.values())]}::bigint[]) order by d.id`.execute(trx)
    ).rows)
      if (!streams.has(`${r.thing_id}|${r.name}`)) streams.set(`${r.thing_id}|${r.name}`, Number(r.id));
    let sensor: number | undefined;
    const properties = new Map<WaterKey, number>();
    const streamOf = async (thing: number, key: WaterKey): Promise<number> => {
      const k = `${thing}|${key}`;
      const have = streams.get(k);
      if (have !== undefined) return have;
      sensor ??= await sharedId(c, 'Sensors', LAB_SENSOR);
      let op = properties.get(key);
      if (op === undefined) {
        op = await sharedId(c, 'ObservedProperties', {
          name: key,
          definition: `https://vea.gov.vn/QD-1460-QD-TCMT#${encodeURIComponent(key)}`,
          description: `${key} (VN_WQI, QĐ 1460/QĐ-TCMT)`,
        });
        properties.set(key, op);
      }
      const id = await createEntity(
        c,
        'Datastreams',
        {
          name: key,
          description: `${key} — kết quả phân tích mẫu nước / laboratory results`,
          observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
          unitOfMeasurement: UCUM[canonicalUnit(key)],
          Thing: { '@iot.id': thing },
          Sensor: { '@iot.id': sensor },
          ObservedProperty: { '@iot.id': op },
        },
        'Datastream',
      );
      streams.set(k, id);
      return id;
    };
    const inputs: { datastream: number; start: Date; body: Record<string, unknown> }[] = [];
    for (const s of file.samples) {
      const thing = stations.get(s.code)!;
      const t = sampleTime(s);
      for (const [key, value] of Object.entries(s.values) as [WaterKey, number][])
        inputs.push({
          datastream: await streamOf(thing, key),
          start: t.start,
          body: { phenomenonTime: t.text, result: value, parameters: { sample: `line ${s.line}` } },
        });
    }
    const ids = [...new Set(inputs.map((i) => i.datastream))];
    const have = new Set(
      ids.length
        ? (
            await sql<{ d: string; t: Date }>`select datastream_id as d, phenomenon_time_start as t from sta_observation
               where datastream_id = any(${ids}::bigint[]) and phenomenon_time_start = any(${[...new Set(inputs.map((i) => i.start.toISOString()))]}::timestamptz[])`.execute(
              trx,
            )
          ).rows.map((r) => `${r.d}|${new Date(r.t).getTime()}`)
        : [],
    );
    const fresh = inputs.filter((i) => !have.has(`${i.datastream}|${i.start.getTime()}`));
    const { outcomes } = await insertObservations(
      trx,
      fresh.map((i) => ({ p, datastream: i.datastream, where: 'Observation', body: i.body })),
    );
    const failed = outcomes.find((x) => 'error' in x);
    if (failed && 'error' in failed) throw failed.error;
    for (const x of outcomes) if ('row' in x) written.push(x.row);
    const report: WaterImportReport = {
      samples: file.samples.length,
      stored: fresh.length,
      alreadyStored: inputs.length - fresh.length,
      stationsCreated: unknown,
      columns: file.columns.map((x) => ({ header: x.header, parameter: x.key, unit: x.unit, stored: x.stored })),
      ignored: file.ignored,
      notDetected: file.notDetected,
      missing: file.missing,
      wqi: file.samples.map((s) => {
        try {
          return { line: s.line, station: s.code, date: s.date, wqi: computeWqi(s.values).wqi, note: null };
        } catch (e) {
          if (e instanceof WqiDataError) return { line: s.line, station: s.code, date: s.date, wqi: null, note: e.message };
          throw e;
        }
      }),
    };
    await recordAudit(
      trx,
      actor,
      {
        action: 'sensors.water-import',
        entityType: 'Organization',
        entityId: org.id,
        details: { samples: report.samples, stored: report.stored, alreadyStored: report.alreadyStored, stationsCreated: report.stationsCreated },
      },
      'sensors',
    );
    return report;
  });
  if (o.live) {
    await o.live.announceIds(db, 'Things', created);
    o.live.announce(written.map((row) => ({ set: 'Observations', row })));
  }
  return report;
}
