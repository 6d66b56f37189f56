import type { AppMigration } from '../../platform/db/index.js';

/**
 * Versioned administrative units. A version is identified by (code, valid_from): GSO codes are
 * reused across the 2025 reform. Bounds use PostgreSQL's -infinity/infinity; valid_to is exclusive.
 */
export const migrations: AppMigration[] = [
  {
    name: '20261115090400_admin_units',
    up: `
      create table admin_unit (
        code text not null check (code ~ '^([0-9]{2}|[0-9]{3}|[0-9]{5})$'),
        valid_from date not null,
        valid_to date not null,
        name text not null check (length(name) between 1 and 200),
        name_en text,
        level text not null check (level in ('province', 'district', 'commune')),
        type text not null,
        parent_code text,
        name_key text not null,
        source text,
        primary key (code, valid_from),
        check (valid_from < valid_to),
        check ((level = 'province') = (parent_code is null)),
        check (length(code) = case level when 'province' then 2 when 'district' then 3 else 5 end)
      );
      create index admin_unit_parent_idx on admin_unit (parent_code, valid_from);
      create index admin_unit_name_key_idx on admin_unit (name_key);

      create table admin_unit_link (
        from_code text not null,
        from_valid_from date not null,
        to_code text not null,
        to_valid_from date not null,
        kind text not null check (kind in ('full', 'partial')),
        primary key (from_code, from_valid_from, to_code, to_valid_from),
        foreign key (from_code, from_valid_from) references admin_unit (code, valid_from) on delete cascade,
        foreign key (to_code, to_valid_from) references admin_unit (code, valid_from) on delete cascade
      );
      create index admin_unit_link_to_idx on admin_unit_link (to_code, to_valid_from);
    `,
  },
];
