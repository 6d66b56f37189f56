import { Type } from 'typebox';
import type { OrgRow } from './tables.js';

export const OrgDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  shortName: Type.Union([Type.String(), Type.Null()]),
  organCode: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  adminUnitCode: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  memberCount: Type.Optional(Type.Integer()),
});

export const presentOrg = (o: OrgRow & { member_count?: number }) => ({
  id: o.id,
  slug: o.slug,
  name: o.name,
  nameEn: o.name_en,
  shortName: o.short_name,
  organCode: o.organ_code,
  kind: o.kind,
  parentId: o.parent_id,
  adminUnitCode: o.admin_unit_code,
  description: o.description,
  email: o.email,
  website: o.website,
  ...(o.member_count !== undefined ? { memberCount: Number(o.member_count) } : {}),
});
