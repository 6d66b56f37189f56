import { sql } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { readableWhere } from './access.js';
import type { CatalogTables, DatasetRow, GroupRow, ResourceRow } from './tables.js';

const q = (db: Db) => db.withTables<CatalogTables>();
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID_RE.test(s);

export type DatasetInsert = Omit<DatasetRow, 'id' | 'view_count' | 'metadata_created' | 'metadata_modified'> & {
  id?: string;
  metadata_created?: Date;
  metadata_modified?: Date;
};
export type ResourceInsert = Omit<ResourceRow, 'id' | 'created' | 'state' | 'datastore_active' | 'last_modified'> & {
  id?: string;
  last_modified?: Date | null;
};

const datasetColumns = [
  'id',
  'name',
  'title',
  'title_en',
  'notes',
  'notes_en',
  'url',
  'version',
  'type',
  'state',
  'owner_org',
  'license_id',
  'author',
  'author_email',
  'maintainer',
  'maintainer_email',
  'access_level',
  'restricted_orgs',
  'restricted_kinds',
  'spatial_codes',
  'bbox',
  'temporal_start',
  'temporal_end',
  'update_frequency',
  'contact_name',
  'contact_email',
  'extras',
  'shared_db',
  'harvest_source_id',
  'harvest_original_id',
  'harvest_url',
  'view_count',
  'creator_user_id',
  'metadata_created',
  'metadata_modified',
] as const;

const jsonCols = (d: Partial<DatasetInsert>) => ({
  ...d,
  ...(d.extras !== undefined ? { extras: JSON.stringify(d.extras) as never } : {}),
  ...(d.shared_db !== undefined ? { shared_db: (d.shared_db === null ? null : JSON.stringify(d.shared_db)) as never } : {}),
});

export const datasetRepo = {
  columns: datasetColumns,
  find: (db: Db, idOrName: string) =>
    q(db)
      .selectFrom('dataset')
      .select(datasetColumns)
      .where(isUuid(idOrName) ? 'id' : 'name', '=', idOrName)
      .executeTakeFirst() as Promise<DatasetRow | undefined>,
  byIds: (db: Db, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([] as DatasetRow[])
      : (q(db).selectFrom('dataset').select(datasetColumns).where('id', 'in', ids).execute() as Promise<DatasetRow[]>),
  nameTaken: async (db: Db, name: string) => !!(await q(db).selectFrom('dataset').select('id').where('name', '=', name).executeTakeFirst()),
  insert: (db: Db, d: DatasetInsert) =>
    q(db)
      .insertInto('dataset')
      .values(jsonCols(d) as never)
      .returning(datasetColumns)
      .executeTakeFirstOrThrow() as Promise<DatasetRow>,
  update: (db: Db, id: string, patch: Partial<DatasetInsert>) =>
    q(db)
      .updateTable('dataset')
      .set({ ...jsonCols(patch), metadata_modified: patch.metadata_modified ?? new Date() } as never)
      .where('id', '=', id)
      .returning(datasetColumns)
      .executeTakeFirstOrThrow() as Promise<DatasetRow>,
  /** Names of active public datasets, sorted (CKAN package_list). */
  publicNames: (db: Db, limit: number, offset: number) =>
    q(db)
      .selectFrom('dataset')
      .select('name')
      .where('state', '=', 'active')
      .where('access_level', '=', 'public')
      .orderBy('name')
      .limit(limit)
      .offset(offset)
      .execute(),
  /** One page of readable shared databases by title, their count, and every managing organization among them. */
  sharedDbPage: async (
    db: Db,
    readable: ReturnType<typeof readableWhere>,
    opts: { managingOrgId?: string | undefined; limit: number; offset: number },
  ): Promise<[string[], number, string[]]> => {
    const base = q(db).selectFrom('dataset as d').where(readable).where('d.shared_db', 'is not', null);
    const filtered = opts.managingOrgId ? base.where(sql<boolean>`d.shared_db->>'managingOrgId' = ${opts.managingOrgId}`) : base;
    const [page, total, managers] = await Promise.all([
      filtered.select('d.id').orderBy('d.title').orderBy('d.id').limit(opts.limit).offset(opts.offset).execute(),
      filtered.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      base
        .select(sql<string>`d.shared_db->>'managingOrgId'`.as('org'))
        .distinct()
        .execute(),
    ]);
    return [page.map((r) => r.id), Number(total.n), managers.map((m) => m.org)];
  },
  /** One page view, appended (no lock on, and no new version of, the dataset row). */
  recordView: (db: Db, id: string) => q(db).insertInto('dataset_view_pending').values({ dataset_id: id }).execute(),
  /** Adds the pending views to the datasets' counts in one statement; returns the views flushed. */
  flushViews: async (db: Db): Promise<number> => {
    const { rows } = await sql<{ n: string }>`
      with taken as (delete from dataset_view_pending returning dataset_id),
        counts as (select dataset_id, count(*) as n from taken group by dataset_id),
        bumped as (update dataset d set view_count = d.view_count + c.n from counts c where d.id = c.dataset_id returning c.n)
      select coalesce(sum(n), 0)::text as n from counts`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },
  byHarvest: (db: Db, sourceId: string, originalId: string) =>
    q(db)
      .selectFrom('dataset')
      .select(datasetColumns)
      .where('harvest_source_id', '=', sourceId)
      .where('harvest_original_id', '=', originalId)
      .executeTakeFirst() as Promise<DatasetRow | undefined>,

  /**
   * Recomputes the search columns from the dataset, its tags, organization and resource names.
   * Folded text = lower(unaccent(...)): accent-insensitive, đ → d; search_exact keeps the accents
   * so exact-accent matches can rank higher. `null` refreshes every dataset (bulk loads).
   */
  /** Recomputes the search columns of one dataset, several, or (null) all. */
  refreshSearch: (db: Db, id: string | string[] | null) =>
    sql`
      with src as (
        select d.id,
          concat_ws(' ', d.title, d.title_en, replace(d.name, '-', ' ')) as titles,
          coalesce((select string_agg(t.name, ' ') from dataset_tag dt join tag t on t.id = dt.tag_id where dt.dataset_id = d.id), '') as tags,
          concat_ws(' ', d.notes, d.notes_en) as notes,
          concat_ws(' ', o.name, o.name_en, o.short_name,
            (select string_agg(concat_ws(' ', r.name, r.format), ' ') from resource r where r.dataset_id = d.id and r.state = 'active')) as extra
        from dataset d join organization o on o.id = d.owner_org
        ${id === null ? sql`` : Array.isArray(id) ? sql`where d.id = any(${id}::uuid[])` : sql`where d.id = ${id}`}
      )
      update dataset d set
        search_folded = lower(unaccent(concat_ws(' ', src.titles, src.tags))),
        search_doc = setweight(to_tsvector('simple', lower(unaccent(src.titles))), 'A')
          || setweight(to_tsvector('simple', lower(unaccent(src.tags))), 'B')
          || setweight(to_tsvector('simple', lower(unaccent(src.notes))), 'C')
          || setweight(to_tsvector('simple', lower(unaccent(src.extra))), 'D'),
        search_exact = to_tsvector('simple', lower(concat_ws(' ', src.titles, src.tags, src.notes)))
      from src where d.id = src.id`.execute(db),

  /** Search columns of every dataset of an organization (its names are part of the search text). */
  refreshSearchOfOrg: async (db: Db, orgId: string): Promise<void> => {
    const rows = await q(db).selectFrom('dataset').select('id').where('owner_org', '=', orgId).where('state', '<>', 'deleted').execute();
    if (rows.length > 0)
      await datasetRepo.refreshSearch(
        db,
        rows.map((r) => r.id),
      );
  },
};

export const resourceRepo = {
  forDatasets: (db: Db, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([] as ResourceRow[])
      : (q(db)
          .selectFrom('resource')
          .selectAll()
          .where('dataset_id', 'in', ids)
          .where('state', '=', 'active')
          .orderBy('dataset_id')
          .orderBy('position')
          .execute() as Promise<ResourceRow[]>),
  find: (db: Db, id: string) =>
    isUuid(id)
      ? (q(db).selectFrom('resource').selectAll().where('id', '=', id).where('state', '=', 'active').executeTakeFirst() as Promise<ResourceRow | undefined>)
      : Promise.resolve(undefined),
  insert: (db: Db, r: ResourceInsert) => q(db).insertInto('resource').values(r).returningAll().executeTakeFirstOrThrow() as Promise<ResourceRow>,
  update: (db: Db, id: string, patch: Partial<ResourceInsert>) =>
    q(db)
      .updateTable('resource')
      .set({ ...patch, last_modified: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow() as Promise<ResourceRow>,
  remove: (db: Db, id: string) => q(db).updateTable('resource').set({ state: 'deleted' }).where('id', '=', id).execute(),
  setDatastoreActive: (db: Db, id: string, active: boolean) => q(db).updateTable('resource').set({ datastore_active: active }).where('id', '=', id).execute(),
  nextPosition: async (db: Db, datasetId: string) =>
    Number(
      (
        await q(db)
          .selectFrom('resource')
          .select((eb) => eb.fn.coalesce(eb.fn.max('position'), eb.val(-1)).as('p'))
          .where('dataset_id', '=', datasetId)
          .executeTakeFirstOrThrow()
      ).p,
    ) + 1,
};

export const tagRepo = {
  forDatasets: (db: Db, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : q(db)
          .selectFrom('dataset_tag as dt')
          .innerJoin('tag as t', 't.id', 'dt.tag_id')
          .select(['dt.dataset_id', 't.id', 't.name'])
          .where('dt.dataset_id', 'in', ids)
          .orderBy('t.name')
          .execute(),
  /** Replaces a dataset's tags, creating tags that do not exist yet. */
  setForDataset: async (db: Db, datasetId: string, names: string[]) => {
    await q(db).deleteFrom('dataset_tag').where('dataset_id', '=', datasetId).execute();
    if (names.length === 0) return;
    await q(db)
      .insertInto('tag')
      .values(names.map((name) => ({ name })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const tags = await q(db).selectFrom('tag').select('id').where('name', 'in', names).execute();
    await q(db)
      .insertInto('dataset_tag')
      .values(tags.map((t) => ({ dataset_id: datasetId, tag_id: t.id })))
      .execute();
  },
  list: (db: Db, query: string | undefined, limit: number) => {
    let b = q(db)
      .selectFrom('tag as t')
      .select(['t.id', 't.name'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('dataset_tag as dt')
            .innerJoin('dataset as d', 'd.id', 'dt.dataset_id')
            .select('dt.tag_id')
            .whereRef('dt.tag_id', '=', 't.id')
            .where('d.state', '=', 'active')
            .where('d.access_level', '=', 'public'),
        ),
      )
      .orderBy('t.name')
      .limit(limit);
    if (query) b = b.where(sql<boolean>`lower(unaccent(t.name)) like ${`%${query}%`}`);
    return b.execute();
  },
};

export const groupRepo = {
  all: (db: Db) => q(db).selectFrom('catalog_group').selectAll().orderBy('title').execute() as Promise<GroupRow[]>,
  find: (db: Db, idOrName: string) =>
    q(db)
      .selectFrom('catalog_group')
      .selectAll()
      .where(isUuid(idOrName) ? 'id' : 'name', '=', idOrName)
      .executeTakeFirst() as Promise<GroupRow | undefined>,
  forDatasets: (db: Db, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([] as (GroupRow & { dataset_id: string })[])
      : (q(db)
          .selectFrom('dataset_group as dg')
          .innerJoin('catalog_group as g', 'g.id', 'dg.group_id')
          .selectAll('g')
          .select('dg.dataset_id')
          .where('dg.dataset_id', 'in', ids)
          .orderBy('g.title')
          .execute() as Promise<(GroupRow & { dataset_id: string })[]>),
  setForDataset: async (db: Db, datasetId: string, groupIds: string[]) => {
    await q(db).deleteFrom('dataset_group').where('dataset_id', '=', datasetId).execute();
    if (groupIds.length)
      await q(db)
        .insertInto('dataset_group')
        .values(groupIds.map((group_id) => ({ dataset_id: datasetId, group_id })))
        .execute();
  },
  insertMissing: (db: Db, groups: { name: string; title: string; title_en: string; is_theme: boolean }[]) =>
    q(db)
      .insertInto('catalog_group')
      .values(groups)
      .onConflict((oc) => oc.column('name').doNothing())
      .execute(),
  /** Public active dataset counts per group. */
  publicCounts: (db: Db) =>
    q(db)
      .selectFrom('dataset_group as dg')
      .innerJoin('dataset as d', 'd.id', 'dg.dataset_id')
      .select(['dg.group_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('d.state', '=', 'active')
      .where('d.access_level', '=', 'public')
      .groupBy('dg.group_id')
      .execute(),
};

export const activityRepo = {
  add: (db: Db, a: { dataset_id: string; user_id: string | null; user_label: string | null; action: string; changes: unknown }) =>
    q(db)
      .insertInto('dataset_activity')
      .values({ ...a, changes: JSON.stringify(a.changes) })
      .execute(),
  forDataset: (db: Db, datasetId: string, limit: number) =>
    q(db)
      .selectFrom('dataset_activity as a')
      .leftJoin('app_user as u', 'u.id', 'a.user_id')
      .selectAll('a')
      .select('u.name as user_name')
      .where('a.dataset_id', '=', datasetId)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute(),
};
