import type { TestApp } from '../helpers/app.js';

/**
 * Key sets of real CKAN 2.x answers, read from the package_show captures of demo.ckan.org
 * (2017; /work/shared/data/ckan/demo_ckan_org_2017/*.json). Our dictionaries must carry at least these.
 */
export const CKAN_PACKAGE_KEYS = [
  'author',
  'author_email',
  'creator_user_id',
  'extras',
  'groups',
  'id',
  'isopen',
  'license_id',
  'license_title',
  'license_url',
  'maintainer',
  'maintainer_email',
  'metadata_created',
  'metadata_modified',
  'name',
  'notes',
  'num_resources',
  'num_tags',
  'organization',
  'owner_org',
  'private',
  'relationships_as_object',
  'relationships_as_subject',
  'resources',
  'revision_id',
  'state',
  'tags',
  'title',
  'type',
  'url',
  'version',
];
export const CKAN_RESOURCE_KEYS = [
  'cache_last_updated',
  'cache_url',
  'created',
  'datastore_active',
  'description',
  'format',
  'hash',
  'id',
  'last_modified',
  'mimetype',
  'mimetype_inner',
  'name',
  'package_id',
  'position',
  'resource_type',
  'revision_id',
  'size',
  'state',
  'url',
  'url_type',
];
export const CKAN_ORGANIZATION_KEYS = [
  'approval_status',
  'created',
  'description',
  'id',
  'image_url',
  'is_organization',
  'name',
  'revision_id',
  'state',
  'title',
  'type',
];
export const CKAN_TAG_KEYS = ['display_name', 'id', 'name', 'state', 'vocabulary_id'];
/** package_search's result keys (packages.json of the same capture). */
export const CKAN_SEARCH_KEYS = ['count', 'facets', 'results', 'search_facets', 'sort'];

export type Headers = Record<string, string>;

export interface CkanResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CKAN results are loosely typed JSON
  body: { help: string; success: boolean; result: any; error: { __type: string; message: string; [field: string]: unknown } };
  raw: string;
  headers: Record<string, unknown>;
}

/** POSTs JSON like ckanapi does (or GETs with a query string). */
export async function call(
  t: TestApp,
  name: string,
  data: Record<string, unknown> = {},
  headers: Headers = {},
  method: 'GET' | 'POST' = 'POST',
): Promise<CkanResponse> {
  const r =
    method === 'GET'
      ? await t.app.inject({
          method: 'GET',
          url: `/api/3/action/${name}`,
          query: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
          headers,
        })
      : await t.app.inject({
          method: 'POST',
          url: `/api/action/${name}`,
          payload: JSON.stringify(data),
          headers: { 'content-type': 'application/json', ...headers },
        });
  let body: CkanResponse['body'];
  try {
    body = JSON.parse(r.body) as CkanResponse['body'];
  } catch {
    body = undefined as unknown as CkanResponse['body'];
  }
  return { status: r.statusCode, body, raw: r.body, headers: r.headers };
}

export interface Users {
  sys: Headers;
  editor: Headers;
  member: Headers;
  otherEditor: Headers;
  otherMember: Headers;
  commune: Headers;
  noOrg: Headers;
  ids: Record<string, string>;
}

/** Users with tokens, made members of organizations through the REST API by a sysadmin. */
export async function makeUsers(t: TestApp): Promise<Users> {
  const sys = await t.userWithToken({ email: 'root@ckan.test', sysadmin: true });
  const mk = async (email: string, org?: string, role?: string) => {
    const u = await t.userWithToken({ email });
    if (org) {
      const r = await t.app.inject({ method: 'PUT', url: `/api/v1/organizations/${org}/members/${u.id}`, headers: sys.auth, payload: { role } });
      if (r.statusCode !== 204) throw new Error(`membership failed: ${r.statusCode} ${r.body}`);
    }
    return u;
  };
  const editor = await mk('editor@tnmt.test', 'so-tnmt', 'editor');
  const member = await mk('member@tnmt.test', 'so-tnmt', 'member');
  const otherEditor = await mk('editor@khcn.test', 'so-khcn', 'editor');
  const otherMember = await mk('member@khcn.test', 'so-khcn', 'member');
  const commune = await mk('xa@phuocdinh.test', 'ubnd-xa-phuoc-dinh-22903', 'member');
  const noOrg = await mk('citizen@ckan.test');
  return {
    sys: sys.auth,
    editor: editor.auth,
    member: member.auth,
    otherEditor: otherEditor.auth,
    otherMember: otherMember.auth,
    commune: commune.auth,
    noOrg: noOrg.auth,
    ids: { sys: sys.id, editor: editor.id, member: member.id, otherEditor: otherEditor.id, noOrg: noOrg.id },
  };
}

/** A multipart body as browsers and Python's requests send it (raw UTF-8 filename). */
export function multipart(fields: Record<string, string>, file?: { field: string; filename: string; type: string; content: Buffer }) {
  const boundary = `----tinhso${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
