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
/** The rows an update moved: old and new (datastream, hour, number), joined by id. */
const MOVED = `(select o.datastream_id as o_ds, date_trunc('hour', o.phenomenon_time_start, 'UTC') as o_h, o.result_number as o_r,
       n.datastream_id as n_ds, date_trunc('hour', n.phenomenon_time_start, 'UTC') as n_h, n.result_number as n_r
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

  -- Adds rows (one upsert per statement). Writers store result_number only for finite numbers.
  create function sta_hourly_insert() returns trigger language plpgsql as $$
  begin
    insert into sta_hourly (datastream_id, hour, n, total, neg_n, neg_total)
      select datastream_id, date_trunc('hour', phenomenon_time_start, 'UTC'), count(*), sum(result_number),
             count(*) filter (where result_number < 0), coalesce(sum(result_number) filter (where result_number < 0), 0)
        from new_rows where result_number is not null
       group by 1, 2
    on conflict (datastream_id, hour) do update set
      n = sta_hourly.n + excluded.n, total = sta_hourly.total + excluded.total,
      neg_n = sta_hourly.neg_n + excluded.neg_n, neg_total = sta_hourly.neg_total + excluded.neg_total;
    return null;
  end $$;

  -- Takes rows out; an hour left without values is removed (a datastream's deletion has removed its hours already).
  create function sta_hourly_delete() returns trigger language plpgsql as $$
  begin
    update sta_hourly h set n = h.n - g.n, total = h.total - g.total, neg_n = h.neg_n - g.neg_n, neg_total = h.neg_total - g.neg_total
      from (select datastream_id, date_trunc('hour', phenomenon_time_start, 'UTC') as hour, count(*) as n, sum(result_number) as total,
                   count(*) filter (where result_number < 0) as neg_n, coalesce(sum(result_number) filter (where result_number < 0), 0) as neg_total
              from old_rows where result_number is not null group by 1, 2) g
     where h.datastream_id = g.datastream_id and h.hour = g.hour;
    delete from sta_hourly h using (select distinct datastream_id, date_trunc('hour', phenomenon_time_start, 'UTC') as hour from old_rows) g
     where h.datastream_id = g.datastream_id and h.hour = g.hour and h.n <= 0;
    return null;
  end $$;

  -- A change that moves a row's number, hour or datastream takes it out of the old place and adds it to the new;
  -- rows whose datastream, time and number stayed (a quality flag set by the checks) are left alone.
  create function sta_hourly_update() returns trigger language plpgsql as $$
  begin
    update sta_hourly h set n = h.n - g.n, total = h.total - g.total, neg_n = h.neg_n - g.neg_n, neg_total = h.neg_total - g.neg_total
      from (select o_ds, o_h, count(*) as n, sum(o_r) as total, count(*) filter (where o_r < 0) as neg_n, coalesce(sum(o_r) filter (where o_r < 0), 0) as neg_total
              from ${MOVED} m where o_r is not null group by 1, 2) g
     where h.datastream_id = g.o_ds and h.hour = g.o_h;
    insert into sta_hourly (datastream_id, hour, n, total, neg_n, neg_total)
      select n_ds, n_h, count(*), sum(n_r), count(*) filter (where n_r < 0), coalesce(sum(n_r) filter (where n_r < 0), 0)
        from ${MOVED} m where n_r is not null group by 1, 2
    on conflict (datastream_id, hour) do update set
      n = sta_hourly.n + excluded.n, total = sta_hourly.total + excluded.total,
      neg_n = sta_hourly.neg_n + excluded.neg_n, neg_total = sta_hourly.neg_total + excluded.neg_total;
    delete from sta_hourly h using (select distinct o_ds, o_h from ${MOVED} m) g
     where h.datastream_id = g.o_ds and h.hour = g.o_h and h.n <= 0;
    return null;
  end $$;

  create trigger sta_hourly_insert after insert on sta_observation referencing new table as new_rows
    for each statement execute function sta_hourly_insert();
  create trigger sta_hourly_delete after delete on sta_observation referencing old table as old_rows
    for each statement execute function sta_hourly_delete();
  create trigger sta_hourly_update after update on sta_observation referencing old table as old_rows new table as new_rows
    for each statement execute function sta_hourly_update();

  -- The observations already stored.
  insert into sta_hourly (datastream_id, hour, n, total, neg_n, neg_total)
    select datastream_id, date_trunc('hour', phenomenon_time_start, 'UTC'), count(*), sum(result_number),
           count(*) filter (where result_number < 0), coalesce(sum(result_number) filter (where result_number < 0), 0)
      from sta_observation where result_number is not null
     group by 1, 2;
`;
