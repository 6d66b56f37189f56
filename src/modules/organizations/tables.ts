import type { Generated } from 'kysely';
import type { TableOf } from '../../platform/db/index.js';
import type { OrgRole } from '../../platform/auth/index.js';

export type OrgKind = 'people_committee' | 'department' | 'agency' | 'district_committee' | 'commune_committee' | 'other';
export const ORG_KINDS: readonly OrgKind[] = ['people_committee', 'department', 'agency', 'district_committee', 'commune_committee', 'other'];

export type OrgTables = {
  organization: TableOf<OrgRow, 'id' | 'created_at' | 'updated_at'>;
  org_member: { org_id: string; user_id: string; role: OrgRole; created_at: Generated<Date> };
  app_user: { id: string; email: string; name: string };
};

export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
  short_name: string | null;
  organ_code: string | null;
  kind: OrgKind;
  parent_id: string | null;
  admin_unit_code: string | null;
  description: string | null;
  email: string | null;
  website: string | null;
  created_at: Date;
  updated_at: Date;
}
