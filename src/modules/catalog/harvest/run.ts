import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AuditActor } from '../../../platform/audit/index.js';
import { systemPrincipal } from '../../../platform/auth/index.js';
import type { Db } from '../../../platform/db/index.js';
import type { JobContext } from '../../../platform/jobs/index.js';
import type { EventBus } from '../../../platform/events.js';
import type { Outbound } from '../../../platform/net/index.js';
import { datasetRepo, groupRepo, resourceRepo } from '../repository.js';
import type { ResourceInput } from '../input.js';
import type { ResourceRow } from '../tables.js';
import { viewerOf } from '../access.js';
import { beginBatch, createDatasetRow, deleteDataset, finishBatch, RESOURCE_CHANGED, updateDatasetRow, type WriteBatch } from '../service.js';
import { ckanPages } from './ckan-source.js';
import { dcatPages } from './dcat-source.js';
import type { RemoteDataset, RemotePage } from './remote.js';
import { harvestedIndex, runRepo, sourceRepo } from './repository.js';
import type { HarvestError, HarvestRunRow, HarvestSourceRow } from './tables.js';

const MAX_ERRORS = 200;
const BATCH = 100;
const NAME_RE = /^[a-z0-9_-]{2,100}$/;

type Counts = Pick<HarvestRunRow, 'created' | 'updated' | 'unchanged' | 'deleted' | 'skipped'>;

async function localName(db: Db, source: HarvestSourceRow, remote: RemoteDataset): Promise<string> {
  const prefixed = `${source.name}-${remote.name}`.slice(0, 100);
  for (const candidate of [remote.name, prefixed]) {
    if (NAME_RE.test(candidate) && !(await datasetRepo.nameTaken(db, candidate))) return candidate;
  }
  return `${source.name}-${crypto.createHash('sha1').update(remote.originalId).digest('hex').slice(0, 12)}`;
}

/**
 * A remote resource still at the URL of one this portal holds keeps that local resource (its id,
 * its datastore table and pull state): a new version behind the URL is then pulled as a change of
 * the same table, and an unchanged one costs a conditional GET, instead of a new resource loaded
 * from scratch at every harvest.
 */
function keepIdentity(remote: ResourceInput[], held: ResourceRow[]): ResourceInput[] {
  // Links only: a file uploaded here (or a table written here) is never taken for the remote's.
  const free = held.filter((h) => h.url_type === null);
  return remote.map((r) => {
    const i = free.findIndex((h) => h.url === r.url);
    return i < 0 ? r : { ...r, id: free.splice(i, 1)[0]!.id };
  });
}

function pagesOf(net: Outbound, source: HarvestSourceRow, since: Date | null, knownGroups: Set<string>): AsyncGenerator<RemotePage> {
  return source.type === 'ckan' ? ckanPages(net, source.url, { fq: source.fq, since, knownGroups }) : dcatPages(net, source.url, { since });
}

/**
 * One harvest run: reads every page of the source, creates or updates the local copy of each
 * dataset (unchanged ones are skipped by their modified time), and in a full run marks datasets
 * that disappeared from the source as deleted. Each dataset is written in its own transaction, so
 * an interrupted run keeps what it finished and the next run continues without duplicates
 * (datasets are matched on source + original id).
 */
export async function runHarvest(db: Db, runId: string, ctx: Pick<JobContext, 'progress'> & { net: Outbound; events?: EventBus }): Promise<HarvestRunRow> {
  const run = await runRepo.find(db, runId);
  if (!run) throw new Error(`harvest run ${runId} not found`);
  const source = await sourceRepo.find(db, run.source_id);
  if (!source) throw new Error(`harvest source ${run.source_id} not found`);
  await runRepo.update(db, runId, { status: 'running', started_at: new Date() });

  const principal = systemPrincipal();
  const actor: AuditActor = { userId: null, label: `harvest:${source.name}`, ip: null };
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0 };
  const errors: HarvestError[] = [];
  const fail = (remote: string | undefined, e: unknown) => {
    if (errors.length < MAX_ERRORS) errors.push({ ...(remote ? { remote } : {}), message: e instanceof Error ? e.message : String(e) });
  };
  const since = run.mode === 'incremental' ? source.last_modified_seen : null;
  const index = await harvestedIndex(db, source.id);
  const knownGroups = new Set((await groupRepo.all(db)).map((g) => g.name));
  const seen = new Set<string>();
  let maxModified = source.last_modified_seen;
  let done = 0;
  let total: number | null = null;

  const viewer = await viewerOf(db, principal);
  const unchanged = (remote: RemoteDataset) => {
    const local = index.get(remote.originalId);
    return !!local && local.state === 'active' && !!remote.modified && local.modified.getTime() === remote.modified.getTime();
  };

  /** One remote dataset inside the batch transaction, behind a savepoint so a bad one fails alone. */
  const upsert = async (trx: Db, remote: RemoteDataset, c: Counts, batch: WriteBatch, held: ResourceRow[]): Promise<void> => {
    const harvest = { sourceId: source.id, originalId: remote.originalId, url: remote.url, ...(remote.modified ? { modified: remote.modified } : {}) };
    const local = index.get(remote.originalId);
    if (unchanged(remote)) {
      c.unchanged += 1;
      // Its data may have changed behind the same URLs (a table written through the source's datastore API):
      // each resource is announced, and the datastore pulls its linked tables (a conditional GET).
      if (ctx.events)
        for (const r of held)
          await ctx.events.emit(trx, RESOURCE_CHANGED, { change: 'seen', resource: r, datasetId: r.dataset_id, upload: null, userId: null });
      return;
    }
    const input = { ...remote.input, owner_org: source.owner_org, resources: keepIdentity(remote.input.resources ?? [], held) };
    const mark = [batch.ids.length, batch.audit.length] as const;
    await sql`savepoint harvest_item`.execute(trx);
    try {
      if (local) {
        await updateDatasetRow(trx, principal, actor, local.id, { ...input, state: 'active' }, 'update', {
          harvest,
          batch,
          ...(ctx.events ? { events: ctx.events } : {}),
        });
        c.updated += 1;
      } else {
        await createDatasetRow(
          trx,
          principal,
          actor,
          { ...input, name: await localName(trx, source, remote) },
          { harvest, batch, ...(ctx.events ? { events: ctx.events } : {}) },
        );
        c.created += 1;
      }
      await sql`release savepoint harvest_item`.execute(trx);
    } catch (e) {
      await sql`rollback to savepoint harvest_item`.execute(trx);
      batch.ids.length = mark[0];
      batch.audit.length = mark[1];
      fail(remote.originalId, e);
    }
  };

  try {
    for await (const page of pagesOf(ctx.net, source, since, knownGroups)) {
      total = page.total;
      counts.skipped += page.skipped;
      // Writes are committed per batch (one commit, not one per dataset); counts are added only
      // once the batch is committed, so an interrupted run reports what it really stored.
      for (let i = 0; i < page.datasets.length; i += BATCH) {
        const batch = page.datasets.slice(i, i + BATCH);
        const c: Counts = { created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0 };
        await db.transaction().execute(async (trx) => {
          const changing = batch.flatMap((r) => (unchanged(r) ? [] : [index.get(r.originalId)?.id ?? []].flat()));
          const held = new Map<string, ResourceRow[]>();
          for (const r of await resourceRepo.forDatasets(
            trx,
            batch.flatMap((b) => [index.get(b.originalId)?.id ?? []].flat()),
          ))
            held.set(r.dataset_id, [...(held.get(r.dataset_id) ?? []), r]);
          const wb = await beginBatch(trx, viewer, changing);
          for (const remote of batch) await upsert(trx, remote, c, wb, held.get(index.get(remote.originalId)?.id ?? '') ?? []);
          await finishBatch(trx, actor, wb);
        });
        for (const k of ['created', 'updated', 'unchanged'] as const) counts[k] += c[k];
        for (const remote of batch) {
          seen.add(remote.originalId);
          if (remote.modified && (!maxModified || remote.modified > maxModified)) maxModified = remote.modified;
        }
        done += batch.length;
        await ctx.progress(done, total, `${counts.created} created, ${counts.updated} updated`);
      }
    }
    if (run.mode === 'full') {
      for (const [original, local] of index) {
        if (seen.has(original) || local.state !== 'active') continue;
        try {
          await deleteDataset(db, principal, actor, local.id, { harvest: { sourceId: source.id, originalId: original, url: null } });
          counts.deleted += 1;
        } catch (e) {
          fail(original, e);
        }
      }
    }
    await sourceRepo.update(db, source.id, { last_modified_seen: maxModified });
    await runRepo.update(db, runId, { ...counts, errors, status: 'finished', finished_at: new Date(), message: null });
  } catch (e) {
    await runRepo.update(db, runId, { ...counts, errors, status: 'failed', finished_at: new Date(), message: e instanceof Error ? e.message : String(e) });
  }
  await ctx.progress(done, total ?? done, 'finished');
  return (await runRepo.find(db, runId))!;
}
