import type { AppMigration } from '../../../../platform/db/index.js';

/**
 * `dataset.search_txid`: the transaction that last changed a dataset (view counts aside). The
 * in-memory search index remembers the snapshot it was built at and, before each search, reads
 * only the rows whose writer was not visible in that snapshot, so it sees exactly what a query
 * would see, whichever instance made the change.
 */
export const memoryIndexMigrations: AppMigration[] = [
  // (also: catalog_search_batch_out/in, the set-based facet-count upkeep for bulk writers)
  {
    name: '20261125090000_catalog_search_txid',
    up: `
      -- bigint, not xid8: the planner has statistics for bigint ranges, so catch-up reads the index
      alter table dataset add column search_txid bigint not null default pg_current_xact_id()::text::bigint;
      create index dataset_search_txid_idx on dataset (search_txid);
      create function catalog_search_txid() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and new.view_count is distinct from old.view_count then return new; end if;
        new.search_txid := pg_current_xact_id()::text::bigint;
        return new;
      end $$;
      create trigger dataset_search_txid before insert or update on dataset for each row execute function catalog_search_txid();

      -- Bulk writers (harvest batches) write with tinhso.search_bulk on, so the per-row search triggers
      -- stay quiet: they take a dataset's facet counts out before changing it and put them back after.
      create function catalog_search_batch_apply(p_ids uuid[], p_sign integer) returns void language sql as $$
        insert into dataset_facet_count as c (sig_id, key, n)
          select s.sig, k, p_sign * count(*)::integer from dataset d
            cross join lateral (
              select catalog_search_sig(d.state, d.access_level, d.owner_org, d.restricted_orgs, d.restricted_kinds) as sig
              union all
              select catalog_search_sig(d.state, d.access_level, null, '{}', '{}') where d.state = 'active' and d.access_level in ('public', 'government')
            ) s
            cross join unnest(d.facet_keys || '{*}'::text[]) k
          where d.id = any(p_ids) and d.state <> 'deleted'
          group by 1, 2 order by 1, 2
        on conflict (sig_id, key) do update set n = c.n + excluded.n
      $$;
      create function catalog_search_batch_out(p_ids uuid[]) returns void language sql as $$
        select catalog_search_batch_apply(p_ids, -1)
      $$;
      create function catalog_search_batch_in(p_ids uuid[]) returns void language plpgsql as $$
      begin
        update dataset d set facet_keys = catalog_facet_keys(d) where d.id = any(p_ids);
        insert into search_term (term)
          select distinct t from dataset d cross join unnest(tsvector_to_array(d.search_doc)) t
          where d.id = any(p_ids) and length(t) <= 40 order by 1 on conflict do nothing;
        perform catalog_search_batch_apply(p_ids, 1);
      end $$;
    `,
  },
];
