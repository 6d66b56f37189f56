import type { Db } from '../../platform/db/index.js';
import { organizationsByIds } from '../organizations/index.js';
import { datasetRepo, groupRepo, resourceRepo, tagRepo } from './repository.js';
import type { DatasetRow, GroupRow, ResourceRow } from './tables.js';

export interface OrgBrief {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
  kind: string;
}

/** A dataset with everything a package dictionary or a page needs. */
export interface DatasetFull {
  dataset: DatasetRow;
  resources: ResourceRow[];
  tags: { id: string; name: string }[];
  groups: GroupRow[];
  org: OrgBrief | undefined;
}

/** Loads resources, tags, groups and organizations for many datasets in four queries. */
export async function loadFull(db: Db, rows: DatasetRow[]): Promise<DatasetFull[]> {
  const ids = rows.map((r) => r.id);
  const [resources, tags, groups, orgs] = await Promise.all([
    resourceRepo.forDatasets(db, ids),
    tagRepo.forDatasets(db, ids),
    groupRepo.forDatasets(db, ids),
    organizationsByIds(
      db,
      rows.map((r) => r.owner_org),
    ),
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  return rows.map((dataset) => ({
    dataset,
    resources: resources.filter((r) => r.dataset_id === dataset.id),
    tags: tags.filter((t) => t.dataset_id === dataset.id).map((t) => ({ id: t.id, name: t.name })),
    groups: groups.filter((g) => g.dataset_id === dataset.id),
    org: orgById.get(dataset.owner_org),
  }));
}

export async function loadFullByIds(db: Db, ids: string[]): Promise<DatasetFull[]> {
  const rows = await datasetRepo.byIds(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return loadFull(
    db,
    ids.map((id) => byId.get(id)).filter((r): r is DatasetRow => !!r),
  );
}
