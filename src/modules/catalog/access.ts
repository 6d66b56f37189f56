import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Principal } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { forbidden, unauthorized, type AppError } from '../../platform/http/index.js';
import { organizationsByIds } from '../organizations/index.js';
import type { AccessLevel, CatalogTables, DatasetRow } from './tables.js';

/** Who is reading, with what the access rules need: organizations, their kinds, edit rights. */
export interface Viewer {
  userId: string | null;
  label: string | null;
  isSysadmin: boolean;
  orgIds: string[];
  orgKinds: string[];
  /** Organizations where the viewer is editor or admin. */
  editorOf: string[];
}

export const ANONYMOUS_VIEWER: Viewer = { userId: null, label: null, isSysadmin: false, orgIds: [], orgKinds: [], editorOf: [] };

/**
 * Viewers by principal: a request's principal is one object (the auth cache even shares it for a
 * few seconds), so its viewer is resolved once, however many services and pages ask.
 */
const viewers = new WeakMap<Principal, Promise<Viewer>>();

export function viewerOf(db: Db, p: Principal): Promise<Viewer> {
  if (!p.user) return Promise.resolve(ANONYMOUS_VIEWER);
  let v = viewers.get(p);
  if (!v) {
    v = resolveViewer(db, p);
    viewers.set(p, v);
    v.catch(() => viewers.delete(p));
  }
  return v;
}

async function resolveViewer(db: Db, p: Principal): Promise<Viewer> {
  if (!p.user) return ANONYMOUS_VIEWER;
  const orgIds = [...p.memberships.keys()];
  const orgs = await organizationsByIds(db, orgIds);
  return {
    userId: p.user.id,
    label: p.user.email,
    isSysadmin: p.user.isSysadmin,
    orgIds,
    orgKinds: [...new Set(orgs.map((o) => o.kind))],
    editorOf: [...p.memberships].filter(([, role]) => role !== 'member').map(([id]) => id),
  };
}

type AccessFields = Pick<DatasetRow, 'access_level' | 'owner_org' | 'restricted_orgs' | 'restricted_kinds' | 'state'>;

/**
 * The access rule, in one place (mirrored by `readableWhere` for SQL):
 * public → anyone; government → any signed-in user of an agency; restricted → the named
 * organizations and organization kinds; private → members of the owning organization.
 * Owners and sysadmins always read; drafts and deleted datasets only owners' editors.
 */
export function canRead(v: Viewer, d: AccessFields): boolean {
  if (v.isSysadmin) return true;
  if (d.state !== 'active') return v.editorOf.includes(d.owner_org);
  if (v.orgIds.includes(d.owner_org)) return true;
  switch (d.access_level as AccessLevel) {
    case 'public':
      return true;
    case 'government':
      return v.orgIds.length > 0;
    case 'restricted':
      return d.restricted_orgs.some((o) => v.orgIds.includes(o)) || d.restricted_kinds.some((k) => v.orgKinds.includes(k));
    case 'private':
      return false;
  }
}

export const canEdit = (v: Viewer, d: Pick<DatasetRow, 'owner_org'>): boolean => v.isSysadmin || v.editorOf.includes(d.owner_org);

const signInFirst = (): AppError => unauthorized('unauthenticated', { vi: 'Cần đăng nhập.', en: 'You must sign in.' });

/** Writing anything asks for an account first (before the fields are checked). */
export function requireWriter(v: Viewer): void {
  if (!v.userId) throw signInFirst();
}

const DENIED_EDIT = { vi: 'Bạn không có quyền sửa dữ liệu của cơ quan này.', en: 'You are not allowed to edit datasets of this organization.' };
const HARVESTED = { vi: 'Bộ dữ liệu được thu thập từ nguồn khác nên chỉ đọc.', en: 'Harvested datasets are read-only here.' };

/**
 * The one rule for "may this viewer change this dataset here": an editor of its organization (or a
 * sysadmin), and not a harvested copy (its source owns it; only the harvester, `byHarvester`, writes it).
 * Returns why not, or null. The API, CKAN and the portal's forms and buttons all ask this.
 */
export function editRefusal(v: Viewer, d: Pick<DatasetRow, 'owner_org' | 'harvest_source_id'>, opts: { byHarvester?: boolean } = {}): AppError | null {
  if (!canEdit(v, d)) return v.userId ? forbidden('forbidden', DENIED_EDIT) : signInFirst();
  if (d.harvest_source_id && !opts.byHarvester) return forbidden('harvested_read_only', HARVESTED);
  return null;
}

export const mayEdit = (v: Viewer, d: Pick<DatasetRow, 'owner_org' | 'harvest_source_id'>): boolean => editRefusal(v, d) === null;

export function requireMayEdit(v: Viewer, d: Pick<DatasetRow, 'owner_org' | 'harvest_source_id'>, opts: { byHarvester?: boolean } = {}): void {
  const refusal = editRefusal(v, d, opts);
  if (refusal) throw refusal;
}

const uuidArray = (ids: string[]) => sql`${sql.val(ids)}::uuid[]`;
const textArray = (xs: string[]) => sql`${sql.val(xs)}::text[]`;

/** SQL form of `canRead` over the `dataset` table (alias `d`), for search and listings. */
export function readableWhere(v: Viewer, opts: { includeNonPublic: boolean; includeDrafts: boolean }) {
  return (eb: ExpressionBuilder<CatalogTables & { d: CatalogTables['dataset'] }, 'd'>): Expression<SqlBool> => {
    const active =
      opts.includeDrafts && (v.isSysadmin || v.editorOf.length > 0)
        ? eb.or([
            eb('d.state', '=', 'active'),
            eb.and([eb('d.state', '=', 'draft'), v.isSysadmin ? sql<boolean>`true` : sql<boolean>`d.owner_org = any(${uuidArray(v.editorOf)})`]),
          ])
        : eb('d.state', '=', 'active');
    if (!opts.includeNonPublic) return eb.and([active, eb('d.access_level', '=', 'public')]);
    if (v.isSysadmin) return active;
    const rules: Expression<SqlBool>[] = [eb('d.access_level', '=', 'public')];
    if (v.orgIds.length > 0) {
      rules.push(eb('d.access_level', '=', 'government'));
      rules.push(sql<boolean>`d.owner_org = any(${uuidArray(v.orgIds)})`);
      rules.push(
        eb.and([
          eb('d.access_level', '=', 'restricted'),
          sql<boolean>`(d.restricted_orgs && ${uuidArray(v.orgIds)} or d.restricted_kinds && ${textArray(v.orgKinds)})`,
        ]),
      );
    }
    return eb.and([active, eb.or(rules)]);
  };
}

/** `readableWhere` in JavaScript, for rows the in-memory search index holds (tested against the SQL). */
export function readableIn(v: Viewer, opts: { includeNonPublic: boolean; includeDrafts: boolean }): (d: AccessFields) => boolean {
  const drafts = opts.includeDrafts && (v.isSysadmin || v.editorOf.length > 0);
  const orgs = new Set(v.orgIds);
  const editorOf = new Set(v.editorOf);
  const kinds = new Set(v.orgKinds);
  return (d) => {
    const active = d.state === 'active' || (drafts && d.state === 'draft' && (v.isSysadmin || editorOf.has(d.owner_org)));
    if (!active) return false;
    if (!opts.includeNonPublic) return d.access_level === 'public';
    if (v.isSysadmin || d.access_level === 'public') return true;
    if (orgs.size === 0) return false;
    if (d.access_level === 'government' || orgs.has(d.owner_org)) return true;
    return d.access_level === 'restricted' && (d.restricted_orgs.some((o) => orgs.has(o)) || d.restricted_kinds.some((k) => kinds.has(k)));
  };
}
