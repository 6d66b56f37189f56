import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { insertObservations, type ObservationInput } from './batch-insert.js';
import { bad } from './errors.js';
import type { Partitions } from './partitions.js';
import { selfLink, type Row } from './read.js';
import { observationTime } from './values.js';

const COMPONENTS = new Set(['phenomenonTime', 'result', 'resultTime', 'resultQuality', 'validTime', 'parameters', 'FeatureOfInterest/id']);
export const MAX_ROWS = 100_000;

/**
 * `POST /v1.1/CreateObservations`: observations in the data-array format, written in one batch
 * where each row is checked on its own, so a bad row is answered with an error string in its
 * place and the others are kept; the answer lists each row's selfLink or error, in order (and
 * the rows created, to announce once committed). A writer refused for a Datastream refuses all.
 */
export async function createObservations(
  db: Db,
  partitions: Partitions,
  p: Principal,
  actor: AuditActor,
  body: unknown,
  base: string,
): Promise<{ answers: string[]; rows: Row[] }> {
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
    const out: (string | number)[] = [];
    const inputs: ObservationInput[] = [];
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
        out.push(inputs.length);
        inputs.push({ p, body: obs, where: 'Observation' });
      }
    }
    const { outcomes, streams } = await insertObservations(trx, inputs);
    const denied = outcomes.find((o) => 'error' in o && (o.error.status === 401 || o.error.status === 403));
    if (denied && 'error' in denied) throw denied.error;
    const answers = out.map((x) => {
      if (typeof x === 'string') return x;
      const o = outcomes[x]!;
      return 'error' in o ? `error: ${o.error.msg.en}` : selfLink(base, 'Observations', o.id);
    });
    const created = answers.filter((x) => !x.startsWith('error')).length;
    if (created)
      await recordAudit(
        trx,
        actor,
        {
          action: 'sensors.observations',
          entityType: 'Datastreams',
          entityId: streams.join(','),
          details: { created, refused: answers.length - created },
        },
        'sensors',
      );
    return { answers, rows: outcomes.flatMap((o) => ('row' in o ? [o.row] : [])) };
  });
}
