import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { recordAudit, type AuditActor } from '../../../platform/audit/index.js';
import type { SecretBox } from '../../../platform/crypto/index.js';
import { inTransaction, type Db } from '../../../platform/db/index.js';
import { badRequest, FieldErrors } from '../../../platform/http/index.js';
import { parseService } from '../ids.js';
import type { ExchangeTables, ServicePolicy } from '../tables.js';
import { ALL_ENDPOINTS, endpointText, parseEndpoint } from './endpoints.js';
import { checkRegistryFile, type RegistryFile } from './file.js';
import { readOpenApi } from './openapi.js';
import { hashCredential } from './credentials.js';
import { bumpRegistry } from './version.js';

const q = (db: Db) => db.withTables<ExchangeTables>();

interface Desired {
  members: Map<string, { klass: string; code: string; name: string; organizationId: string | null }>;
  subsystems: Map<string, { member: string; code: string; name: string | null; rate_per_minute: number | null; quota_per_day: number | null }>;
  services: Map<string, ServicePolicy & { subsystem: string; code: string }>;
  groups: Map<string, string | null>;
  groupMembers: Set<string>;
  access: Set<string>;
  upstreams: Map<string, { url: string; token: string; token_source: string }>;
}

const SEP = '\u0000';

/** The file's rows, keyed by identity; files it names (OpenAPI, tokens) read relative to `baseDir`. */
async function desiredOf(db: Db, f: RegistryFile, baseDir: string | null): Promise<Desired> {
  const errors = new FieldErrors();
  const d: Desired = {
    members: new Map(),
    subsystems: new Map(),
    services: new Map(),
    groups: new Map(),
    groupMembers: new Set(),
    access: new Set(),
    upstreams: new Map(),
  };
  const orgs = await sql<{ id: string; slug: string; organ_code: string | null }>`select id, slug, organ_code from organization`.execute(db);
  f.members.forEach((m, i) => {
    const mk = `${m.class}/${m.code}`;
    let organizationId: string | null = null;
    if (m.organization) {
      const org = orgs.rows.find((o) => o.slug === m.organization);
      if (!org)
        errors.add(
          badRequest(
            'organization_not_found',
            { vi: `Không có cơ quan "${m.organization}".`, en: `No organization "${m.organization}".` },
            `members[${i}].organization`,
          ),
        );
      organizationId = org?.id ?? null;
    } else organizationId = orgs.rows.find((o) => o.organ_code === m.code)?.id ?? null;
    d.members.set(mk, { klass: m.class, code: m.code, name: m.name.trim(), organizationId });
    (m.subsystems ?? []).forEach((s, j) => {
      const sk = `${mk}/${s.code}`;
      d.subsystems.set(sk, {
        member: mk,
        code: s.code,
        name: s.name?.trim() ?? null,
        rate_per_minute: s.rate_per_minute ?? null,
        quota_per_day: s.quota_per_day ?? null,
      });
      (s.services ?? []).forEach((v, k) => {
        const field = `members[${i}].subsystems[${j}].services[${k}].openapi`;
        const api = v.openapi === undefined ? { text: null, source: null } : errors.check(() => readOpenApi(v.openapi!, baseDir, field));
        d.services.set(`${sk}/${v.code}`, {
          subsystem: sk,
          code: v.code,
          url: new URL(v.url).href,
          openapi: api?.text ?? null,
          openapi_source: api?.source ?? null,
          timeout_ms: v.timeout_ms ?? 30_000,
          log_bodies: v.log_bodies ?? false,
          body_retention_days: v.body_retention_days ?? 30,
          durable_log: v.durable_log ?? false,
        });
      });
    });
  });
  for (const g of f.groups ?? []) {
    d.groups.set(g.code, g.name?.trim() ?? null);
    for (const c of g.members) d.groupMembers.add([g.code, c].join(SEP));
  }
  (f.access ?? []).forEach((a, i) => {
    const s = parseService(a.service);
    const local = `${s.memberClass}/${s.memberCode}/${s.subsystemCode}/${s.serviceCode}`;
    if (s.instance !== f.instance || !d.services.has(local)) {
      errors.add(
        badRequest(
          'unknown_service',
          { vi: `Dịch vụ ${a.service} không được khai báo trong tệp này.`, en: `The service ${a.service} is not declared in this file.` },
          `access[${i}].service`,
        ),
      );
      return;
    }
    const endpoints = a.endpoints?.length ? a.endpoints.map((e) => parseEndpoint(e)!) : [ALL_ENDPOINTS];
    for (const c of a.clients) for (const e of endpoints) d.access.add([local, c, e.method, e.path].join(SEP));
  });
  (f.upstreams ?? []).forEach((u, i) => {
    let token = '';
    try {
      if (baseDir === null) throw new Error('no files here');
      token = fs.readFileSync(path.resolve(baseDir, u.token_file), 'utf8').trim().split('\n').pop()!.trim();
    } catch {
      /* reported below */
    }
    if (!token)
      errors.add(
        badRequest(
          'token_missing',
          { vi: `Không đọc được mã truy cập trong ${u.token_file}.`, en: `No token could be read from ${u.token_file}.` },
          `upstreams[${i}].token_file`,
        ),
      );
    d.upstreams.set(u.instance, { url: new URL(u.url).href, token, token_source: u.token_file });
  });
  errors.throwIfAny();
  return d;
}

export interface ApplyResult {
  changes: string[];
}

/**
 * Makes the registry what the file says, in one transaction: adds, updates and (unless `prune` is
 * false) removes members, subsystems, services, groups, access rights and upstreams; returns one
 * line per change (none on a second run). Client credentials are not in the file: they stay,
 * except those of a removed subsystem.
 */
export async function applyRegistry(
  db: Db,
  box: () => SecretBox,
  input: unknown,
  opts: { baseDir: string | null; prune?: boolean; dryRun?: boolean; actor: AuditActor },
): Promise<ApplyResult> {
  const f = checkRegistryFile(input);
  const prune = opts.prune ?? true;
  const want = await desiredOf(db, f, opts.baseDir);
  if (opts.dryRun) {
    let result: ApplyResult = { changes: [] };
    await db
      .transaction()
      .execute(async (trx) => {
        result = await writeRegistry(trx, box, f.instance, want, prune);
        throw DRY_RUN;
      })
      .catch((e: unknown) => {
        if (e !== DRY_RUN) throw e;
      });
    return result;
  }
  return inTransaction(db, async (trx) => {
    const r = await writeRegistry(trx, box, f.instance, want, prune);
    await recordAudit(trx, opts.actor, { action: 'exchange.registry.apply', entityType: 'xr_registry', entityId: f.instance, details: { changes: r.changes } });
    return r;
  });
}

/** The changes, written in the caller's transaction under the registry's lock. */
async function writeRegistry(trx: Db, box: () => SecretBox, I: string, want: Desired, prune: boolean): Promise<ApplyResult> {
  await sql`select pg_advisory_xact_lock(7418261)`.execute(trx);
  const changes: string[] = [];
  const t = q(trx);
  const reg = await t.selectFrom('xr_registry').select('instance').executeTakeFirst();
  if (reg?.instance !== I) {
    changes.push(`~ instance ${reg?.instance ?? '(none)'} → ${I}`);
    await sql`insert into xr_registry (id, instance, version) values (true, ${I}, 0) on conflict (id) do update set instance = excluded.instance`.execute(trx);
  }
  // Members
  const members = await t.selectFrom('xr_member').selectAll().where('instance', '=', I).execute();
  const memberId = new Map<string, string>();
  for (const m of members) {
    const k = `${m.member_class}/${m.member_code}`;
    const w = want.members.get(k);
    if (!w) {
      if (prune) {
        changes.push(`- member ${I}/${k}`);
        await t.deleteFrom('xr_member').where('id', '=', m.id).execute();
      }
      continue;
    }
    memberId.set(k, m.id);
    if (m.name !== w.name || m.organization_id !== w.organizationId) {
      changes.push(`~ member ${I}/${k}: ${m.name !== w.name ? 'name' : 'organization'}`);
      await t.updateTable('xr_member').set({ name: w.name, organization_id: w.organizationId }).where('id', '=', m.id).execute();
    }
  }
  for (const [k, w] of want.members) {
    if (memberId.has(k)) continue;
    const row = await t
      .insertInto('xr_member')
      .values({ instance: I, member_class: w.klass, member_code: w.code, name: w.name, organization_id: w.organizationId })
      .returning('id')
      .executeTakeFirstOrThrow();
    memberId.set(k, row.id);
    changes.push(`+ member ${I}/${k} (${w.name})`);
  }
  // Subsystems
  const subs = await sql<{ id: string; key: string; name: string | null; rate_per_minute: number | null; quota_per_day: number | null }>`
      select s.id, m.member_class || '/' || m.member_code || '/' || s.code as key, s.name, s.rate_per_minute, s.quota_per_day
      from xr_subsystem s join xr_member m on m.id = s.member_id where m.instance = ${I}`.execute(trx);
  const subId = new Map<string, string>();
  for (const s of subs.rows) {
    const w = want.subsystems.get(s.key);
    if (!w) {
      if (prune && want.members.has(s.key.split('/').slice(0, 2).join('/'))) {
        changes.push(`- subsystem ${I}/${s.key}`);
        await t.deleteFrom('xr_subsystem').where('id', '=', s.id).execute();
      }
      continue;
    }
    subId.set(s.key, s.id);
    const diff = (['name', 'rate_per_minute', 'quota_per_day'] as const).filter((c) => s[c] !== w[c]);
    if (diff.length) {
      changes.push(`~ subsystem ${I}/${s.key}: ${diff.join(', ')}`);
      await t
        .updateTable('xr_subsystem')
        .set({ name: w.name, rate_per_minute: w.rate_per_minute, quota_per_day: w.quota_per_day })
        .where('id', '=', s.id)
        .execute();
    }
  }
  for (const [k, w] of want.subsystems) {
    if (subId.has(k)) continue;
    const row = await t
      .insertInto('xr_subsystem')
      .values({ member_id: memberId.get(w.member)!, code: w.code, name: w.name, rate_per_minute: w.rate_per_minute, quota_per_day: w.quota_per_day })
      .returning('id')
      .executeTakeFirstOrThrow();
    subId.set(k, row.id);
    changes.push(`+ subsystem ${I}/${k}`);
  }
  // Services
  const svcs = await sql<ExchangeTables['xr_service'] & { id: string; key: string }>`
      select v.*, m.member_class || '/' || m.member_code || '/' || s.code || '/' || v.code as key
      from xr_service v join xr_subsystem s on s.id = v.subsystem_id join xr_member m on m.id = s.member_id where m.instance = ${I}`.execute(trx);
  const svcId = new Map<string, string>();
  const COLS = ['url', 'openapi', 'openapi_source', 'timeout_ms', 'log_bodies', 'body_retention_days', 'durable_log'] as const;
  for (const v of svcs.rows) {
    const w = want.services.get(v.key);
    if (!w) {
      if (prune) {
        changes.push(`- service ${I}/${v.key}`);
        await t.deleteFrom('xr_service').where('id', '=', v.id).execute();
      }
      continue;
    }
    svcId.set(v.key, v.id);
    const diff = COLS.filter((c) => v[c] !== w[c]);
    if (diff.length) {
      changes.push(`~ service ${I}/${v.key}: ${diff.filter((c) => c !== 'openapi_source').join(', ') || 'openapi'}`);
      const set = Object.fromEntries(COLS.map((c) => [c, w[c]]));
      await t.updateTable('xr_service').set(set).where('id', '=', v.id).execute();
    }
  }
  for (const [k, w] of want.services) {
    if (svcId.has(k)) continue;
    const { subsystem, ...cols } = w;
    const row = await t
      .insertInto('xr_service')
      .values({ ...cols, subsystem_id: subId.get(subsystem)! })
      .returning('id')
      .executeTakeFirstOrThrow();
    svcId.set(k, row.id);
    changes.push(`+ service ${I}/${k} → ${w.url}`);
  }
  // Groups and their members
  const groups = await t.selectFrom('xr_group').selectAll().execute();
  for (const g of groups) {
    if (!want.groups.has(g.code)) {
      if (prune) {
        changes.push(`- group ${g.code}`);
        await t.deleteFrom('xr_group').where('code', '=', g.code).execute();
      }
    } else if (g.name !== want.groups.get(g.code)) {
      changes.push(`~ group ${g.code}: name`);
      await t
        .updateTable('xr_group')
        .set({ name: want.groups.get(g.code)! })
        .where('code', '=', g.code)
        .execute();
    }
  }
  for (const [code, name] of want.groups)
    if (!groups.some((g) => g.code === code)) {
      await t.insertInto('xr_group').values({ code, name }).execute();
      changes.push(`+ group ${code}`);
    }
  const gm = await t.selectFrom('xr_group_member').selectAll().execute();
  const haveGm = new Set(gm.map((r) => [r.group_code, r.client].join(SEP)));
  for (const r of gm) {
    const k = [r.group_code, r.client].join(SEP);
    if (!want.groupMembers.has(k) && prune && want.groups.has(r.group_code)) {
      changes.push(`- group ${r.group_code} member ${r.client}`);
      await t.deleteFrom('xr_group_member').where('group_code', '=', r.group_code).where('client', '=', r.client).execute();
    }
  }
  for (const k of want.groupMembers)
    if (!haveGm.has(k)) {
      const [group_code, client] = k.split(SEP) as [string, string];
      await t.insertInto('xr_group_member').values({ group_code, client }).execute();
      changes.push(`+ group ${group_code} member ${client}`);
    }
  // Access rights
  const acc = await sql<{ id: string; service: string; client: string; method: string; path: string }>`
      select a.id, m.member_class || '/' || m.member_code || '/' || s.code || '/' || v.code as service, a.client, a.method, a.path
      from xr_access a join xr_service v on v.id = a.service_id join xr_subsystem s on s.id = v.subsystem_id
      join xr_member m on m.id = s.member_id where m.instance = ${I}`.execute(trx);
  const haveAcc = new Set<string>();
  for (const a of acc.rows) {
    const k = [a.service, a.client, a.method, a.path].join(SEP);
    haveAcc.add(k);
    if (!want.access.has(k) && prune) {
      changes.push(`- access ${I}/${a.service} ← ${a.client} ${endpointText(a)}`);
      await t.deleteFrom('xr_access').where('id', '=', a.id).execute();
    }
  }
  for (const k of want.access)
    if (!haveAcc.has(k)) {
      const [service, client, method, p] = k.split(SEP) as [string, string, string, string];
      await t
        .insertInto('xr_access')
        .values({ service_id: svcId.get(service)!, client, method, path: p })
        .execute();
      changes.push(`+ access ${I}/${service} ← ${client} ${method} ${p}`);
    }
  // Upstreams
  const ups = await t.selectFrom('xr_upstream').selectAll().execute();
  for (const u of ups) {
    const w = want.upstreams.get(u.instance);
    if (!w) {
      if (prune) {
        changes.push(`- upstream ${u.instance}`);
        await t.deleteFrom('xr_upstream').where('instance', '=', u.instance).execute();
      }
    } else if (u.url !== w.url || u.token_digest !== hashCredential(w.token) || u.token_source !== w.token_source) {
      changes.push(`~ upstream ${u.instance}: ${u.url !== w.url ? 'url' : 'token'}`);
      await t
        .updateTable('xr_upstream')
        .set({ url: w.url, sealed_token: box().seal(w.token), token_digest: hashCredential(w.token), token_source: w.token_source })
        .where('instance', '=', u.instance)
        .execute();
    }
  }
  for (const [instance, w] of want.upstreams)
    if (!ups.some((u) => u.instance === instance)) {
      await t
        .insertInto('xr_upstream')
        .values({ instance, url: w.url, sealed_token: box().seal(w.token), token_digest: hashCredential(w.token), token_source: w.token_source })
        .execute();
      changes.push(`+ upstream ${instance} → ${w.url}`);
    }
  if (changes.length) await bumpRegistry(trx);
  return { changes };
}

const DRY_RUN = new Error('dry run');
