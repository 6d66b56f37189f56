import { sql } from 'kysely';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { AppError } from '../../../platform/http/index.js';
import { requireWriterOf } from './access.js';
import { createEntity, featureFromLocation, ownColumns, refreshExtents, widen, type WriteCtx } from './create.js';
import { bad } from './errors.js';
import type { Row } from './read.js';

/** One observation to write: its body, and the Datastream its path or topic names (else the body's). */
export interface ObservationInput {
  p: Principal;
  body: unknown;
  datastream?: number;
  where: string;
}

/** What became of one input: created (with its row, as `render` takes it), or the error that refused it alone. */
export type Outcome = { id: number; row: Row } | { error: AppError };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const refId = (v: unknown): number | undefined => {
  if (!isObject(v) || Object.keys(v).some((k) => k !== '@iot.id')) return undefined;
  const id = v['@iot.id'];
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
};
const asAppError = (e: unknown): AppError => {
  if (e instanceof AppError) return e;
  throw e;
};

const COLUMNS = [
  'id',
  'datastream_id',
  'feature_id',
  'phenomenon_time_start',
  'phenomenon_time_end',
  'result_time',
  'result',
  'result_number',
  'result_quality',
  'valid_time_start',
  'valid_time_end',
  'parameters',
] as const;
const TYPES = ['bigint', 'bigint', 'bigint', 'timestamptz', 'timestamptz', 'timestamptz', 'jsonb', 'float8', 'jsonb', 'timestamptz', 'timestamptz', 'jsonb'];

/**
 * Writes many Observations in the caller's transaction with a few statements, not a few per row:
 * the rows are checked as createEntity checks one (the same column rules), their Datastreams and
 * writers and FeaturesOfInterest looked up once per batch, the ids drawn from the sequence in one
 * query and the rows inserted by one `unnest`. An input that links or nests anything but
 * references goes through createEntity (in a savepoint). A refused input answers its own error
 * and leaves the others; a writer refused for a Datastream is an error too (403), which a
 * caller may treat as fatal. The Datastreams written to have their extents widened (in the same
 * transaction) and are answered with the outcomes.
 */
export async function insertObservations(trx: Db, inputs: ObservationInput[]): Promise<{ outcomes: Outcome[]; streams: number[] }> {
  const touched: WriteCtx['touched'] = new Map();
  const out: (Outcome | undefined)[] = new Array(inputs.length);
  const fast: { i: number; ds: number; foi?: number; cols: Record<string, unknown>; result: unknown }[] = [];
  const slow: number[] = [];
  inputs.forEach((inp, i) => {
    try {
      const b = inp.body;
      if (!isObject(b)) throw bad(inp.where, 'an Observation is a JSON object', 'Observation phải là đối tượng JSON');
      if (inp.datastream !== undefined && b.Datastream !== undefined)
        throw bad(`${inp.where}.Datastream`, 'is given by the path already', 'đã có trong đường dẫn');
      const ds = inp.datastream ?? refId(b.Datastream);
      const foi = refId(b.FeatureOfInterest);
      if ((b.Datastream !== undefined && ds === undefined) || (b.FeatureOfInterest !== undefined && foi === undefined)) {
        slow.push(i);
        return;
      }
      if (ds === undefined) throw bad(`${inp.where}.Datastream`, 'is missing', 'còn thiếu');
      fast.push({ i, ds, foi, cols: ownColumns('Observations', b, inp.where), result: b.result });
    } catch (e) {
      out[i] = { error: asAppError(e) };
    }
  });

  // Datastreams: there, and writable by each input's principal.
  const streams = [...new Set(fast.map((f) => f.ds))];
  const owners = new Map(
    (
      await sql<{ id: string; org_id: string | null }>`
        select d.id, t.org_id from sta_datastream d join sta_thing t on t.id = d.thing_id where d.id = any(${streams}::bigint[])`.execute(trx)
    ).rows.map((r) => [Number(r.id), r.org_id]),
  );
  const features = new Map<number, number | AppError>();
  const knownFeatures = new Set(
    (
      await sql<{
        id: string;
      }>`select id from sta_feature where id = any(${[...new Set(fast.flatMap((f) => (f.foi === undefined ? [] : [f.foi])))]}::bigint[])`.execute(trx)
    ).rows.map((r) => Number(r.id)),
  );
  const rows: Record<string, unknown>[] = [];
  const rowOf: number[] = [];
  for (const f of fast) {
    const inp = inputs[f.i]!;
    try {
      if (!owners.has(f.ds)) throw bad(`${inp.where}.Datastream`, `no Datastream ${f.ds}`, `không có Datastream ${f.ds}`);
      requireWriterOf(inp.p, { org: owners.get(f.ds) });
      let feature = f.foi;
      if (feature !== undefined && !knownFeatures.has(feature))
        throw bad(`${inp.where}.FeatureOfInterest.@iot.id`, `no FeatureOfInterest ${feature}`, `không có FeatureOfInterest ${feature}`);
      if (feature === undefined) {
        if (!features.has(f.ds)) features.set(f.ds, await featureFromLocation(trx, f.ds, inp.where).catch((e: unknown) => asAppError(e)));
        const got = features.get(f.ds)!;
        if (got instanceof AppError) throw got;
        feature = got;
      }
      const r = f.result;
      const row: Record<string, unknown> = {
        ...f.cols,
        datastream_id: f.ds,
        feature_id: feature,
        result_number: typeof r === 'number' && Number.isFinite(r) ? r : null,
      };
      widen(touched, f.ds, row.phenomenon_time_start as Date, (row.phenomenon_time_end as Date | null) ?? null, (row.result_time as Date | undefined) ?? null);
      rows.push(row);
      rowOf.push(f.i);
    } catch (e) {
      out[f.i] = { error: asAppError(e) };
    }
  }

  if (rows.length) {
    const ids = (await sql<{ id: string }>`select nextval('sta_observation_id_seq') as id from generate_series(1, ${rows.length})`.execute(trx)).rows;
    rows.forEach((r, k) => (r.id = Number(ids[k]!.id)));
    const arrays = COLUMNS.map((c) => rows.map((r) => (r[c] === undefined ? null : r[c])));
    await sql`insert into sta_observation (${sql.join(COLUMNS.map((c) => sql.id(c)))})
      select * from unnest(${sql.join(arrays.map((a, k) => sql`${a}::${sql.raw(TYPES[k]!)}[]`))})`.execute(trx);
    rows.forEach((r, k) => {
      const parsed = { ...r };
      for (const c of ['result', 'result_quality', 'parameters'] as const) if (typeof r[c] === 'string') parsed[c] = JSON.parse(r[c]);
      out[rowOf[k]!] = { id: r.id as number, row: parsed as Row };
    });
  }

  // Inputs that nest entities: one by one, as a POST would create them.
  for (const i of slow) {
    const inp = inputs[i]!;
    const c: WriteCtx = { trx, p: inp.p, touched, mayWrite: new Map() };
    await sql`savepoint batch_row`.execute(trx);
    try {
      const preset = inp.datastream === undefined ? {} : { datastream_id: inp.datastream };
      const id = await createEntity(c, 'Observations', inp.body, inp.where, preset);
      await sql`release savepoint batch_row`.execute(trx);
      const row = (await sql<Row>`select * from sta_observation where id = ${id}`.execute(trx)).rows[0]!;
      out[i] = { id, row };
    } catch (e) {
      await sql`rollback to savepoint batch_row`.execute(trx);
      out[i] = { error: asAppError(e) };
    }
  }
  await refreshExtents(trx, touched);
  return { outcomes: out.map((o) => o!), streams: [...touched.keys()] };
}
