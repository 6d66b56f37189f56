import type { Generated } from 'kysely';
import type { TableOf } from '../../platform/db/index.js';

export type AccessLevel = 'public' | 'government' | 'restricted' | 'private';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['public', 'government', 'restricted', 'private'];
export type DatasetState = 'active' | 'draft' | 'deleted';

/** How a shared database is designated (danh mục cơ sở dữ liệu dùng chung). */
export interface SharedDb {
  managingOrgId: string;
  legalBasis: string;
  dataOwner: string;
  updateFrequency?: string | null;
  /** 'lgsp' (service through the LGSP) | 'file' | 'datastore_api' */
  sharingMethods: string[];
  /** Who may use it: organization ids and/or organization kinds (e.g. 'commune_committee'). */
  allowedOrgIds: string[];
  allowedKinds: string[];
}

export interface Extra {
  key: string;
  value: string;
}

export interface DatasetRow {
  id: string;
  name: string;
  title: string;
  title_en: string | null;
  notes: string | null;
  notes_en: string | null;
  url: string | null;
  version: string | null;
  type: string;
  state: DatasetState;
  owner_org: string;
  license_id: string | null;
  author: string | null;
  author_email: string | null;
  maintainer: string | null;
  maintainer_email: string | null;
  access_level: AccessLevel;
  restricted_orgs: string[];
  restricted_kinds: string[];
  spatial_codes: string[];
  bbox: number[] | null;
  temporal_start: string | null;
  temporal_end: string | null;
  update_frequency: string | null;
  contact_name: string | null;
  contact_email: string | null;
  extras: Extra[];
  shared_db: SharedDb | null;
  harvest_source_id: string | null;
  harvest_original_id: string | null;
  harvest_url: string | null;
  view_count: number;
  creator_user_id: string | null;
  metadata_created: Date;
  metadata_modified: Date;
}

export interface ResourceRow {
  id: string;
  dataset_id: string;
  position: number;
  name: string | null;
  description: string | null;
  url: string;
  format: string | null;
  mimetype: string | null;
  size: number | null;
  hash: string | null;
  url_type: string | null;
  storage_key: string | null;
  state: string;
  datastore_active: boolean;
  created: Date;
  last_modified: Date | null;
}

export interface GroupRow {
  id: string;
  name: string;
  title: string;
  title_en: string | null;
  description: string | null;
  description_en: string | null;
  image_url: string | null;
  is_theme: boolean;
  created_at: Date;
}

type Gen<T, K extends keyof T> = TableOf<T, K>;

export type CatalogTables = {
  dataset: Gen<
    DatasetRow,
    | 'id'
    | 'type'
    | 'state'
    | 'access_level'
    | 'restricted_orgs'
    | 'restricted_kinds'
    | 'spatial_codes'
    | 'extras'
    | 'view_count'
    | 'metadata_created'
    | 'metadata_modified'
  > & {
    search_folded: Generated<string>;
    search_doc: Generated<string>;
    search_exact: Generated<string>;
  };
  resource: Gen<ResourceRow, 'id' | 'position' | 'url' | 'state' | 'datastore_active' | 'created'>;
  catalog_group: Gen<GroupRow, 'id' | 'is_theme' | 'created_at'>;
  tag: { id: Generated<string>; name: string };
  dataset_tag: { dataset_id: string; tag_id: string };
  dataset_group: { dataset_id: string; group_id: string };
  /** The platform's users, read for display names only. */
  app_user: { id: string; name: string };
  dataset_activity: {
    id: Generated<number>;
    dataset_id: string;
    user_id: string | null;
    user_label: string | null;
    at: Generated<Date>;
    action: string;
    changes: unknown;
  };
  dataset_view_pending: { dataset_id: string; at: Generated<Date> };
};
