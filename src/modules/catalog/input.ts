import type { AccessLevel, DatasetState, Extra, SharedDb } from './tables.js';

/** A dataset as clients send it: the CKAN package dictionary plus Tỉnh Số's own fields. */
export interface DatasetInput {
  name?: string;
  title?: string;
  title_en?: string | null;
  notes?: string | null;
  notes_en?: string | null;
  url?: string | null;
  version?: string | null;
  state?: DatasetState;
  /** Organization id or slug. */
  owner_org?: string;
  /** CKAN's flag; `access_level` wins when both are given. */
  private?: boolean;
  access_level?: AccessLevel;
  /** Organization ids or slugs allowed to read a restricted dataset. */
  restricted_orgs?: string[];
  /** Organization kinds allowed to read a restricted dataset, e.g. 'commune_committee'. */
  restricted_kinds?: string[];
  license_id?: string | null;
  author?: string | null;
  author_email?: string | null;
  maintainer?: string | null;
  maintainer_email?: string | null;
  tags?: ({ name: string } | string)[];
  groups?: { id?: string; name?: string }[];
  extras?: Extra[];
  resources?: ResourceInput[];
  spatial_codes?: string[];
  bbox?: number[] | null;
  temporal_start?: string | null;
  temporal_end?: string | null;
  update_frequency?: string | null;
  contact_name?: string | null;
  contact_email?: string | null;
  shared_db?: SharedDbInput | null;
}

export interface SharedDbInput {
  managing_org?: string;
  legal_basis: string;
  data_owner: string;
  update_frequency?: string | null;
  sharing_methods: string[];
  allowed_orgs?: string[];
  allowed_kinds?: string[];
}

export interface ResourceInput {
  id?: string;
  name?: string | null;
  description?: string | null;
  url?: string | null;
  format?: string | null;
  mimetype?: string | null;
  size?: number | null;
  hash?: string | null;
  url_type?: string | null;
}

/** An uploaded file, already stored (see platform/storage). */
export interface StoredUpload {
  storageKey: string;
  filename: string;
  size: number;
  mimetype: string | null;
  sha256: string;
}

export const toSharedDb = (s: SharedDbInput, managingOrgId: string, allowedOrgIds: string[]): SharedDb => ({
  managingOrgId,
  legalBasis: s.legal_basis,
  dataOwner: s.data_owner,
  updateFrequency: s.update_frequency ?? null,
  sharingMethods: s.sharing_methods,
  allowedOrgIds,
  allowedKinds: s.allowed_kinds ?? [],
});
