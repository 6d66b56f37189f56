import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { Principal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import { badRequest } from '../../../platform/http/index.js';
import { ownerOf, requireWriterOf } from '../sta/access.js';
import { insertObservations } from '../sta/batch-insert.js';
import { missing } from '../sta/errors.js';
import type { Partitions } from '../sta/partitions.js';
import { ImportLayoutError, readLayout, type Layout } from './import-layouts.js';

export const IMPORT_LAYOUTS: readonly Layout[] = ['airnow', 'iqair'];

export interface ImportReport {
  layout: Layout;
  rows: number;
  stored: number;
  /** Hours the Datastream already had (a file imported again stores nothing twice). */
  alreadyStored: number;
  missing: number;
  invalid: number;
  repeated: number;
  problems: { line: number; message: string }[];
}

/**
 * Imports a monitoring file in one of the real layouts into a Datastream, in one transaction: each
 * value an Observation of its hour (phenomenonTime start/end, resultQuality the file's QC flag),
 * hours already stored skipped, missing and invalid rows counted and left out as the file's
 * conventions say. By the station's organization, as every write.
 */
export async function importFile(
  db: Db,
  partitions: Partitions,
  p: Principal,
  actor: AuditActor,
  datastream: number,
  layout: string,
  text: string,
): Promise<ImportReport> {
  if (!IMPORT_LAYOUTS.includes(layout as Layout))
    throw badRequest('bad_layout', { vi: `layout: một trong ${IMPORT_LAYOUTS.join(', ')}`, en: `layout: one of ${IMPORT_LAYOUTS.join(', ')}` }, 'layout');
  const owner = await ownerOf(db, 'Datastreams', datastream);
  if (!owner.exists) throw missing(`Datastreams(${datastream})`);
  requireWriterOf(p, owner);
  let read;
  try {
    read = readLayout(layout as Layout, text);
  } catch (e) {
    if (e instanceof ImportLayoutError)
      throw badRequest('bad_file', { vi: `Tệp không đúng dạng ${layout}: ${e.message}`, en: `Not a ${layout} file: ${e.message}` }, 'file');
    throw e;
  }
  const starts = read.values.map((v) => v.start);
  await partitions.ensure(db, starts);
  return db.transaction().execute(async (trx) => {
    const have = new Set(
      starts.length
        ? (
            await sql<{ t: Date }>`select phenomenon_time_start as t from sta_observation where datastream_id = ${datastream}
              and phenomenon_time_start = any(${starts}::timestamptz[])`.execute(trx)
          ).rows.map((r) => new Date(r.t).getTime())
        : [],
    );
    const fresh = read.values.filter((v) => !have.has(v.start.getTime()));
    const { outcomes } = await insertObservations(
      trx,
      fresh.map((v) => ({
        p,
        datastream,
        where: 'Observation',
        body: { phenomenonTime: `${v.start.toISOString()}/${v.end.toISOString()}`, result: v.value, ...(v.quality ? { resultQuality: v.quality } : {}) },
      })),
    );
    const failed = outcomes.find((o) => 'error' in o);
    if (failed && 'error' in failed) throw failed.error;
    const report: ImportReport = {
      layout: layout as Layout,
      rows: read.rows,
      stored: fresh.length,
      alreadyStored: read.values.length - fresh.length,
      missing: read.missing,
      invalid: read.invalid,
      repeated: read.repeated,
      problems: read.problems,
    };
    // Audited even when nothing was new: who sent which file is part of the record.
    await recordAudit(
      trx,
      actor,
      { action: 'sensors.import', entityType: 'Datastreams', entityId: String(datastream), details: { ...report, problems: report.problems.length } },
      'sensors',
    );
    return report;
  });
}
