import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { createEntity, refreshExtents, type WriteCtx } from './create.js';
import { bad } from './errors.js';
import type { Partitions } from './partitions.js';
import { selfLink } from './read.js';
import { observationTime } from './values.js';

const COMPONENTS = new Set(['phenomenonTime', 'result', 'resultTime', 'resultQuality', 'validTime', 'parameters', 'FeatureOfInterest/id']);
export const MAX_ROWS = 100_000;

/**
 * `POST /v1.1/CreateObservations`: observations in the data-array format, each row created on its
 * own (a savepoint per row), so a bad row is answered with an error string in its place and the
 * others are kept; the answer lists each row's selfLink or error, in order.
 */
export async function createObservations(db: Db, partitions: Partitions, p: Principal, actor: AuditActor, body: unknown, base: string): Promise<string[]> {
  if (!Array.isArray(body)) throw bad('CreateObservations', 'the body is a JSON array of {Datastream, components, dataArray}', 'nội dung phải là mảng JSON');
  let total = 0;
  const groups = body.map((g, i) => {
    const at = `CreateObservations[${i}]`;
    if (!g || typeof g !== 'object') throw bad(at, 'must be an object', 'phải là đối tượng');
    const { Datastream, components, dataArray } = g as Record<string, unknown>;
    if (!Datastream || typeof Datastream !== 'object') throw bad(`${at}.Datastream`, 'is missing', 'còn thiếu');
    if (!Array.isArray(components) || !components.length || components.some((c) => typeof c !== 'string' || !COMPONENTS.has(c)))
      throw bad(`${at}.components`, `must list some of ${[...COMPONENTS].join(', ')}`, 'phải liệt kê các thành phần hợp lệ');
    if (!Array.isArray(dataArray)) throw bad(`${at}.dataArray`, 'must be an array of rows', 'phải là mảng các dòng');
    total += dataArray.length;
    if (total > MAX_ROWS) throw bad('CreateObservations', `more than ${MAX_ROWS} rows in one request`, `quá ${MAX_ROWS} dòng trong một yêu cầu`);
    return { Datastream, components: components as string[], dataArray: dataArray as unknown[] };
  });
  // The months the rows fall in get their partitions before the transaction.
  const times: Date[] = [];
  for (const g of groups) {
    const k = g.components.indexOf('phenomenonTime');
    for (const row of g.dataArray)
      if (k >= 0 && Array.isArray(row)) {
        try {
          times.push(observationTime(row[k], 'phenomenonTime').start);
        } catch {
          /* that row will answer its own error */
        }
      }
  }
  if (groups.some((g) => !g.components.includes('phenomenonTime'))) times.push(new Date());
  await partitions.ensure(db, times);
  return db.transaction().execute(async (trx) => {
    const c: WriteCtx = { trx, p, touched: new Map(), mayWrite: new Map() };
    const out: string[] = [];
    for (const g of groups) {
      for (const row of g.dataArray) {
        if (!Array.isArray(row) || row.length !== g.components.length) {
          out.push(`error: a row has ${Array.isArray(row) ? row.length : 0} values for ${g.components.length} components`);
          continue;
        }
        const obs: Record<string, unknown> = { Datastream: g.Datastream };
        g.components.forEach((name, i) => {
          if (name === 'FeatureOfInterest/id') obs.FeatureOfInterest = { '@iot.id': row[i] };
          else obs[name] = row[i];
        });
        const sp = `row_${out.length}`;
        await sql`savepoint ${sql.raw(sp)}`.execute(trx);
        try {
          const id = await createEntity(c, 'Observations', obs, 'Observation');
          await sql`release savepoint ${sql.raw(sp)}`.execute(trx);
          out.push(selfLink(base, 'Observations', id));
        } catch (e) {
          await sql`rollback to savepoint ${sql.raw(sp)}`.execute(trx);
          const status = (e as { status?: number }).status;
          if (status === 401 || status === 403) throw e;
          out.push(`error: ${(e as { msg?: { en?: string } }).msg?.en ?? (e as Error).message}`);
        }
      }
    }
    await refreshExtents(trx, c.touched);
    const created = out.filter((x) => !x.startsWith('error')).length;
    if (created)
      await recordAudit(
        trx,
        actor,
        {
          action: 'sensors.observations',
          entityType: 'Datastreams',
          entityId: [...c.touched.keys()].join(','),
          details: { created, refused: out.length - created },
        },
        'sensors',
      );
    return out;
  });
}
