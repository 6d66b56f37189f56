import type { AppMigration } from '../../../platform/db/index.js';

/**
 * Search support for the catalog (wired by the catalog module after the catalog tables):
 * - `dataset.facet_keys`: every facet value of a dataset as 'o:<org id>', 'g:<group id>', 't:<tag>',
 *   'f:<FORMAT>', 'l:<licence>', 'a:<access level>', 's:<unit code>', 'd:true|false' (GIN-indexed,
 *   so fq on tags/groups/formats combines with the full-text bitmap), kept by a BEFORE trigger that
 *   fires whenever refreshSearch (or an access/licence/place change) updates the row.
 * - `dataset_facet_count`: facet counts per access signature (state, access level, owner, restricted
 *   lists), kept incrementally by an AFTER trigger. A whole-catalogue search (empty q) sums a few
 *   thousand of these rows instead of unnesting 100k datasets; readableWhere runs on the signatures.
 * - `search_term`: the folded lexemes seen in search_doc, for the typo fallback.
 * - `catalog_search_rebuild()`: recomputes both in bulk (after COPY loads, or to repair).
 */
export const searchMigrations: AppMigration[] = [
  {
    name: '20261120090100_catalog_search',
    up: `
      alter table dataset add column facet_keys text[] not null default '{}';
      create index dataset_facet_keys_idx on dataset using gin (facet_keys);
      create index dataset_title_sort_idx on dataset (title);
      create index dataset_views_idx on dataset (view_count desc);

      create table dataset_search_sig (
        id serial primary key,
        state text not null,
        access_level text not null,
        -- null: every organization (kept for active public and government datasets, whose
        -- readability does not depend on the owner), so a whole-catalogue search sums two rows per key
        owner_org uuid,
        restricted_orgs uuid[] not null,
        restricted_kinds text[] not null,
        unique nulls not distinct (state, access_level, owner_org, restricted_orgs, restricted_kinds)
      );
      create table dataset_facet_count (
        sig_id integer not null references dataset_search_sig(id) on delete cascade,
        key text not null,
        n integer not null,
        primary key (sig_id, key)
      );

      -- Every folded lexeme ever indexed (Vietnamese has a few thousand syllables): the typo fallback
      -- looks up edit-distance-1 variants of unknown query syllables here.
      create table search_term (term text primary key);

      create function catalog_facet_keys(d dataset) returns text[] language sql stable as $$
        select coalesce(array_agg(distinct k order by k), '{}') from (
          select 'o:' || d.owner_org::text as k
          union all select 'a:' || d.access_level
          union all select 'd:' || case when d.shared_db is null or d.shared_db = 'null'::jsonb then 'false' else 'true' end
          union all select 'l:' || d.license_id where coalesce(d.license_id, '') <> ''
          union all select 's:' || c from unnest(d.spatial_codes) c
          union all select 't:' || t.name from dataset_tag dt join tag t on t.id = dt.tag_id where dt.dataset_id = d.id
          union all select 'g:' || dg.group_id::text from dataset_group dg where dg.dataset_id = d.id
          union all select 'f:' || r.format from resource r where r.dataset_id = d.id and r.state = 'active' and coalesce(r.format, '') <> ''
        ) x
      $$;

      create function catalog_search_sig(p_state text, p_level text, p_org uuid, p_ro uuid[], p_rk text[]) returns integer language plpgsql as $$
      declare
        sid integer;
        ro uuid[] := case when p_level = 'restricted' then p_ro else '{}' end;
        rk text[] := case when p_level = 'restricted' then p_rk else '{}' end;
      begin
        select id into sid from dataset_search_sig
          where state = p_state and access_level = p_level and owner_org is not distinct from p_org and restricted_orgs = ro and restricted_kinds = rk;
        if sid is null then
          insert into dataset_search_sig (state, access_level, owner_org, restricted_orgs, restricted_kinds)
            values (p_state, p_level, p_org, ro, rk) on conflict do nothing returning id into sid;
          if sid is null then
            select id into sid from dataset_search_sig
              where state = p_state and access_level = p_level and owner_org is not distinct from p_org and restricted_orgs = ro and restricted_kinds = rk;
          end if;
        end if;
        return sid;
      end $$;

      create function catalog_facet_apply(p_sig integer, p_keys text[], p_delta integer) returns void language sql as $$
        insert into dataset_facet_count as c (sig_id, key, n)
          select p_sig, k, p_delta from unnest(p_keys || '{*}'::text[]) k order by k
          on conflict (sig_id, key) do update set n = c.n + excluded.n
      $$;

      create function catalog_search_before() returns trigger language plpgsql as $$
      begin
        if current_setting('tinhso.search_bulk', true) = 'on' then return new; end if;
        new.facet_keys := catalog_facet_keys(new);
        if tg_op = 'INSERT' or new.search_doc is distinct from old.search_doc then
          insert into search_term (term) select t from unnest(tsvector_to_array(new.search_doc)) t
            where length(t) <= 40 order by 1 on conflict do nothing;
        end if;
        return new;
      end $$;

      create function catalog_search_after() returns trigger language plpgsql as $$
      begin
        if current_setting('tinhso.search_bulk', true) = 'on' then return null; end if;
        if tg_op in ('UPDATE', 'DELETE') and old.state <> 'deleted' then
          perform catalog_facet_apply(catalog_search_sig(old.state, old.access_level, old.owner_org, old.restricted_orgs, old.restricted_kinds), old.facet_keys, -1);
          if old.state = 'active' and old.access_level in ('public', 'government') then
            perform catalog_facet_apply(catalog_search_sig(old.state, old.access_level, null, '{}', '{}'), old.facet_keys, -1);
          end if;
        end if;
        if tg_op in ('UPDATE', 'INSERT') and new.state <> 'deleted' then
          perform catalog_facet_apply(catalog_search_sig(new.state, new.access_level, new.owner_org, new.restricted_orgs, new.restricted_kinds), new.facet_keys, 1);
          if new.state = 'active' and new.access_level in ('public', 'government') then
            perform catalog_facet_apply(catalog_search_sig(new.state, new.access_level, null, '{}', '{}'), new.facet_keys, 1);
          end if;
        end if;
        return null;
      end $$;

      create trigger dataset_search_keys before insert or update of
        search_doc, search_folded, search_exact, state, access_level, owner_org, restricted_orgs, restricted_kinds, license_id, spatial_codes, shared_db
        on dataset for each row execute function catalog_search_before();
      create trigger dataset_search_counts_insdel after insert or delete on dataset
        for each row execute function catalog_search_after();
      create trigger dataset_search_counts_upd after update on dataset for each row
        when (old.facet_keys is distinct from new.facet_keys or old.state is distinct from new.state
          or old.access_level is distinct from new.access_level or old.owner_org is distinct from new.owner_org
          or old.restricted_orgs is distinct from new.restricted_orgs or old.restricted_kinds is distinct from new.restricted_kinds)
        execute function catalog_search_after();

      create function catalog_search_rebuild() returns void language plpgsql as $$
      begin
        perform set_config('tinhso.search_bulk', 'on', true);
        update dataset d set facet_keys = catalog_facet_keys(d) where facet_keys is distinct from catalog_facet_keys(d);
        delete from dataset_facet_count;
        delete from dataset_search_sig;
        insert into dataset_search_sig (state, access_level, owner_org, restricted_orgs, restricted_kinds)
          select distinct state, access_level, owner_org,
            case when access_level = 'restricted' then restricted_orgs else '{}' end,
            case when access_level = 'restricted' then restricted_kinds else '{}' end
          from dataset where state <> 'deleted'
          union select distinct state, access_level, null::uuid, '{}'::uuid[], '{}'::text[]
          from dataset where state = 'active' and access_level in ('public', 'government');
        insert into dataset_facet_count (sig_id, key, n)
          select s.id, k, count(*)::integer
          from dataset d
          join dataset_search_sig s on s.state = d.state and s.access_level = d.access_level and s.owner_org = d.owner_org
            and s.restricted_orgs = case when d.access_level = 'restricted' then d.restricted_orgs else '{}' end
            and s.restricted_kinds = case when d.access_level = 'restricted' then d.restricted_kinds else '{}' end
          cross join unnest(d.facet_keys || '{*}'::text[]) k
          where d.state <> 'deleted'
          group by 1, 2;
        insert into dataset_facet_count (sig_id, key, n)
          select s.id, k, count(*)::integer
          from dataset d
          join dataset_search_sig s on s.state = d.state and s.access_level = d.access_level and s.owner_org is null
          cross join unnest(d.facet_keys || '{*}'::text[]) k
          where d.state = 'active' and d.access_level in ('public', 'government')
          group by 1, 2;
        insert into search_term (term)
          select distinct t from dataset d cross join unnest(tsvector_to_array(d.search_doc)) t where length(t) <= 40
          on conflict do nothing;
        perform set_config('tinhso.search_bulk', 'off', true);
      end $$;

      select catalog_search_rebuild();
    `,
  },
];
