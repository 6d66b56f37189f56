/**
 * Hourly rollups of the observations' numeric results, kept by the database itself: statement
 * triggers with transition tables on `sta_observation` add each statement's rows per
 * (datastream, hour) — one upsert per statement, not per row — and take deleted or changed rows
 * out, so every writer (the API, MQTT's group commit, imports, an operator's COPY, cascades) keeps
 * them right without knowing about them. Readers of hourly means (the VN_AQI of a station, its
 * days over a year) read a year as 8,760 rows instead of half a million observations.
 *
 * Per (datastream, hour): the count and sum of the finite numeric results, and of the negative
 * ones among them (a concentration below zero is an instrument's artefact, which the air index
 * leaves out; a temperature is not), so both means come from the one row.
 */
/**
 * The rows' sums per (datastream, hour), from a relation with columns `ds`, `t` (the phenomenon
 * time) and `r` (the number): the one definition every trigger and the backfill use.
 */
const sums = (rows: string) => `
  select ds, date_trunc('hour', t, 'UTC') as hour, count(*) as n, sum(r) as total,
         count(*) filter (where r < 0) as neg_n, coalesce(sum(r) filter (where r < 0), 0) as neg_total
    from ${rows} x where r is not null group by 1, 2`;

/** Adds rows' sums to their hours (one upsert). */
const add = (rows: string) => `
  insert into sta_hourly (datastream_id, hour, n, total, neg_n, neg_total) ${sums(rows)}
  on conflict (datastream_id, hour) do update set
    n = sta_hourly.n + excluded.n, total = sta_hourly.total + excluded.total,
    neg_n = sta_hourly.neg_n + excluded.neg_n, neg_total = sta_hourly.neg_total + excluded.neg_total`;

/**
 * Takes rows' sums out of their hours, and removes an hour left without values. Only an update:
 * a datastream's deletion has removed its hours already, and must not get them back.
 */
const takeOut = (rows: string) => `
  update sta_hourly h set n = h.n - g.n, total = h.total - g.total, neg_n = h.neg_n - g.neg_n, neg_total = h.neg_total - g.neg_total
    from (${sums(rows)}) g where h.datastream_id = g.ds and h.hour = g.hour;
  delete from sta_hourly h using (select distinct ds, date_trunc('hour', t, 'UTC') as hour from ${rows} x) g
   where h.datastream_id = g.ds and h.hour = g.hour and h.n <= 0`;

const rowsOf = (table: string) => `(select datastream_id as ds, phenomenon_time_start as t, result_number as r from ${table})`;

/** The rows an update moved (another datastream, time or number; a quality flag moves nothing), as they were and as they are. */
const moved = (side: 'o' | 'n') => `(select ${side}.datastream_id as ds, ${side}.phenomenon_time_start as t, ${side}.result_number as r
  from old_rows o join new_rows n on n.id = o.id
 where (o.datastream_id, o.phenomenon_time_start, o.result_number) is distinct from (n.datastream_id, n.phenomenon_time_start, n.result_number))`;

export const HOURLY_SQL = `
  create table sta_hourly (
    datastream_id bigint not null references sta_datastream(id) on delete cascade,
    hour timestamptz not null,
    n bigint not null,
    total double precision not null,
    neg_n bigint not null,
    neg_total double precision not null,
    primary key (datastream_id, hour)
  );

  -- Writers store result_number only for finite numbers.
  create function sta_hourly_insert() returns trigger language plpgsql as $$
  begin
    ${add(rowsOf('new_rows'))};
    return null;
  end $$;

  create function sta_hourly_delete() returns trigger language plpgsql as $$
  begin
    ${takeOut(rowsOf('old_rows'))};
    return null;
  end $$;

  create function sta_hourly_update() returns trigger language plpgsql as $$
  begin
    ${takeOut(moved('o'))};
    ${add(moved('n'))};
    return null;
  end $$;

  create trigger sta_hourly_insert after insert on sta_observation referencing new table as new_rows
    for each statement execute function sta_hourly_insert();
  create trigger sta_hourly_delete after delete on sta_observation referencing old table as old_rows
    for each statement execute function sta_hourly_delete();
  create trigger sta_hourly_update after update on sta_observation referencing old table as old_rows new table as new_rows
    for each statement execute function sta_hourly_update();

  -- The observations already stored.
  insert into sta_hourly (datastream_id, hour, n, total, neg_n, neg_total) ${sums(rowsOf('sta_observation'))};
`;
