/**
 * The SensorThings geo functions in the database, over GeoJSON (jsonb) in longitude/latitude
 * taken as plane coordinates — PostGIS's `geometry` semantics, which FROST-Server uses.
 *
 * Every function exists twice. `tinhso_geo_*_plain` is PL/pgSQL over PostgreSQL's built-in
 * geometric types (point, lseg, polygon), so the embedded server, which has no PostGIS, answers
 * too; PostgreSQL's geometric operators compare with a tolerance of 1e-6 (about 0.1 m here).
 * `tinhso_geo_*` is what queries call: a wrapper around PostGIS when the extension could be
 * installed, else the plain one. A test compares the two on PostgreSQL 15 with PostGIS.
 *
 * The plain versions answer intersects, disjoint, distance and length for any Point, LineString,
 * Polygon (with holes) and their Multi forms; within, contains, touches, equals, overlaps and
 * crosses when one side is a single Point (a station, a sampling point) — the other cases, and
 * relate, raise `tinhso_geo: …`, which the API answers as a 400 naming the function.
 */
export const GEO_SQL = `
  do $do$ begin
    if exists (select 1 from pg_available_extensions where name = 'postgis') then
      begin
        create extension if not exists postgis;
      exception when others then
        raise notice 'PostGIS is available but could not be installed (%): the geo functions use their plain versions', sqlerrm;
      end;
    end if;
  end $do$;

  -- A GeoJSON Feature's geometry, or the geometry itself.
  create function tinhso_geo_geometry(g jsonb) returns jsonb language sql immutable as $$
    select case when g->>'type' = 'Feature' then g->'geometry' else g end $$;

  create function tinhso_geo_point(c jsonb) returns point language sql immutable as $$
    select point((c->>0)::float8, (c->>1)::float8) $$;

  -- The components of a geometry, each (kind, coordinates): kind P (a position), L (a line's positions) or A (a polygon's rings).
  create function tinhso_geo_parts(g jsonb) returns table (kind text, c jsonb) language plpgsql immutable as $$
  declare t text := tinhso_geo_geometry(g)->>'type'; co jsonb := tinhso_geo_geometry(g)->'coordinates';
  begin
    case t
      when 'Point' then return query select 'P', co;
      when 'MultiPoint' then return query select 'P', e from jsonb_array_elements(co) e;
      when 'LineString' then return query select 'L', co;
      when 'MultiLineString' then return query select 'L', e from jsonb_array_elements(co) e;
      when 'Polygon' then return query select 'A', co;
      when 'MultiPolygon' then return query select 'A', e from jsonb_array_elements(co) e;
      else raise exception 'tinhso_geo: % geometries are not offered', coalesce(t, 'untyped');
    end case;
  end $$;

  create function tinhso_geo_vertices(g jsonb) returns setof point language sql immutable as $$
    select tinhso_geo_point(p.c) from tinhso_geo_parts(g) p where p.kind = 'P'
    union all
    select tinhso_geo_point(e) from tinhso_geo_parts(g) p, jsonb_array_elements(p.c) e where p.kind = 'L'
    union all
    select tinhso_geo_point(e) from tinhso_geo_parts(g) p, jsonb_array_elements(p.c) r, jsonb_array_elements(r) e where p.kind = 'A' $$;

  -- A line's (or ring's) segments.
  create function tinhso_geo_line_segments(line jsonb) returns setof lseg language sql immutable as $$
    select lseg(tinhso_geo_point(line->(i - 1)), tinhso_geo_point(line->i)) from generate_series(1, jsonb_array_length(line) - 1) i $$;

  create function tinhso_geo_segments(g jsonb) returns setof lseg language sql immutable as $$
    select s from tinhso_geo_parts(g) p, tinhso_geo_line_segments(p.c) s where p.kind = 'L'
    union all
    select s from tinhso_geo_parts(g) p, jsonb_array_elements(p.c) r, tinhso_geo_line_segments(r) s where p.kind = 'A' $$;

  create function tinhso_geo_ring(r jsonb) returns polygon language sql immutable as $$
    select ('(' || string_agg('(' || (e->>0) || ',' || (e->>1) || ')', ',' order by o) || ')')::polygon
      from jsonb_array_elements(r) with ordinality x(e, o) $$;

  -- Where a point lies against one polygon (its rings): 'in', 'on' (its boundary) or 'out'.
  create function tinhso_geo_in_polygon(p point, rings jsonb) returns text language plpgsql immutable as $$
  declare i int;
  begin
    if exists (select 1 from jsonb_array_elements(rings) r, tinhso_geo_line_segments(r) s where p <@ s) then return 'on'; end if;
    if not tinhso_geo_ring(rings->0) @> p then return 'out'; end if;
    for i in 1 .. jsonb_array_length(rings) - 1 loop
      if tinhso_geo_ring(rings->i) @> p then return 'out'; end if;
    end loop;
    return 'in';
  end $$;

  -- A line's boundary: the ends of its lines that are not closed, each counted once per line (the mod-2 rule).
  create function tinhso_geo_line_boundary(g jsonb) returns setof point language sql immutable as $$
    select point(x, y) from (
      select (p.c->0->>0)::float8 x, (p.c->0->>1)::float8 y from tinhso_geo_parts(g) p where p.kind = 'L'
      union all
      select (p.c->-1->>0)::float8, (p.c->-1->>1)::float8 from tinhso_geo_parts(g) p where p.kind = 'L'
    ) e group by x, y having count(*) % 2 = 1 $$;

  -- Where a point lies against a geometry: 'in' (its interior), 'on' (its boundary) or 'out'.
  create function tinhso_geo_locate(p point, g jsonb) returns text language plpgsql immutable as $$
  declare part record; best text := 'out'; w text;
  begin
    for part in select * from tinhso_geo_parts(g) loop
      if part.kind = 'P' then
        if p ~= tinhso_geo_point(part.c) then return 'in'; end if;
      elsif part.kind = 'L' then
        if exists (select 1 from tinhso_geo_line_segments(part.c) s where p <@ s) then
          best := 'in';
        end if;
      else
        w := tinhso_geo_in_polygon(p, part.c);
        if w = 'in' then return 'in'; end if;
        if w = 'on' then best := 'on'; end if;
      end if;
    end loop;
    if best = 'in' and exists (select 1 from tinhso_geo_line_boundary(g) b where b ~= p) then return 'on'; end if;
    return best;
  end $$;

  create function tinhso_geo_single_point(g jsonb) returns point language sql immutable as $$
    select case when tinhso_geo_geometry(g)->>'type' = 'Point' then tinhso_geo_point(tinhso_geo_geometry(g)->'coordinates') end $$;

  -- The vertices and segments are gathered into arrays first: joined as set-returning functions they are recomputed per row.
  create function tinhso_geo_intersects_plain(a jsonb, b jsonb) returns boolean language plpgsql immutable as $$
  declare sa lseg[] := array(select tinhso_geo_segments(a)); sb lseg[] := array(select tinhso_geo_segments(b));
  begin
    return exists (select 1 from tinhso_geo_vertices(a) v where tinhso_geo_locate(v, b) <> 'out')
        or exists (select 1 from tinhso_geo_vertices(b) v where tinhso_geo_locate(v, a) <> 'out')
        or exists (select 1 from unnest(sa) s, unnest(sb) t where s ?# t);
  end $$;

  create function tinhso_geo_distance_plain(a jsonb, b jsonb) returns float8 language plpgsql immutable as $$
  declare va point[]; vb point[]; sa lseg[]; sb lseg[];
  begin
    if tinhso_geo_intersects_plain(a, b) then return 0; end if;
    va := array(select tinhso_geo_vertices(a)); vb := array(select tinhso_geo_vertices(b));
    sa := array(select tinhso_geo_segments(a)); sb := array(select tinhso_geo_segments(b));
    return least(
      (select min(v <-> w) from unnest(va) v, unnest(vb) w),
      (select min(v <-> s) from unnest(va) v, unnest(sb) s),
      (select min(v <-> s) from unnest(vb) v, unnest(sa) s));
  end $$;

  create function tinhso_geo_length_plain(a jsonb) returns float8 language sql immutable as $$
    select coalesce(sum(@-@ s), 0)::float8 from tinhso_geo_parts(a) p, tinhso_geo_line_segments(p.c) s where p.kind = 'L' $$;

  create function tinhso_geo_need_point(fn text) returns boolean language plpgsql immutable as $$
  begin
    raise exception 'tinhso_geo: %() of two geometries neither of which is a single point needs PostGIS on the database server', fn;
  end $$;

  -- One side a single point P, the other G: the DE-9IM predicates reduce to where P lies against G
  -- and, when P is the one contained, to whether G is nothing but P.
  create function tinhso_geo_point_rel(fn text, a jsonb, b jsonb) returns boolean language plpgsql immutable as $$
  declare pa point := tinhso_geo_single_point(a); pb point := tinhso_geo_single_point(b);
    p point := coalesce(pa, pb); g jsonb := case when pa is not null then b else a end; w text; only_p boolean;
  begin
    if p is null then return tinhso_geo_need_point(fn); end if;
    w := tinhso_geo_locate(p, g);
    only_p := not exists (select 1 from tinhso_geo_parts(g) x where x.kind <> 'P')
      and not exists (select 1 from tinhso_geo_vertices(g) v where not v ~= p);
    case fn
      -- a within b: a point in b's interior; or b the point and a nothing but it.
      when 'st_within' then return case when pa is not null then w = 'in' else only_p end;
      when 'st_contains' then return case when pb is not null then w = 'in' else only_p end;
      when 'st_touches' then return w = 'on';
      when 'st_equals' then return only_p;
      -- A single point never overlaps (it is inside the other or apart from it) nor crosses (the intersection is all of it or nothing).
      when 'st_overlaps' then return false;
      when 'st_crosses' then return false;
    end case;
  end $$;

  -- What queries call: PostGIS where the extension is installed, else the plain versions.
  do $do$
  declare postgis boolean := exists (select 1 from pg_extension where extname = 'postgis');
    f record;
  begin
    for f in select * from (values
      ('tinhso_geo_intersects', 'a jsonb, b jsonb', 'boolean', 'st_intersects(%1$s, %2$s)', 'tinhso_geo_intersects_plain(a, b)'),
      ('tinhso_geo_disjoint', 'a jsonb, b jsonb', 'boolean', 'st_disjoint(%1$s, %2$s)', 'not tinhso_geo_intersects_plain(a, b)'),
      ('tinhso_geo_distance', 'a jsonb, b jsonb', 'float8', 'st_distance(%1$s, %2$s)', 'tinhso_geo_distance_plain(a, b)'),
      ('tinhso_geo_length', 'a jsonb', 'float8', 'st_length(%1$s)', 'tinhso_geo_length_plain(a)'),
      ('tinhso_geo_within', 'a jsonb, b jsonb', 'boolean', 'st_within(%1$s, %2$s)', 'tinhso_geo_point_rel(''st_within'', a, b)'),
      ('tinhso_geo_contains', 'a jsonb, b jsonb', 'boolean', 'st_contains(%1$s, %2$s)', 'tinhso_geo_point_rel(''st_contains'', a, b)'),
      ('tinhso_geo_touches', 'a jsonb, b jsonb', 'boolean', 'st_touches(%1$s, %2$s)', 'tinhso_geo_point_rel(''st_touches'', a, b)'),
      ('tinhso_geo_equals', 'a jsonb, b jsonb', 'boolean', 'st_equals(%1$s, %2$s)', 'tinhso_geo_point_rel(''st_equals'', a, b)'),
      ('tinhso_geo_overlaps', 'a jsonb, b jsonb', 'boolean', 'st_overlaps(%1$s, %2$s)', 'tinhso_geo_point_rel(''st_overlaps'', a, b)'),
      ('tinhso_geo_crosses', 'a jsonb, b jsonb', 'boolean', 'st_crosses(%1$s, %2$s)', 'tinhso_geo_point_rel(''st_crosses'', a, b)'),
      ('tinhso_geo_relate', 'a jsonb, b jsonb, pattern text', 'boolean', 'st_relate(%1$s, %2$s, pattern)', 'tinhso_geo_need_point(''st_relate'')')
    ) v(name, args, returns, pg, plain) loop
      execute format('create function %s(%s) returns %s language sql immutable as %L', f.name, f.args, f.returns,
        'select ' || case when postgis
          then format(f.pg, 'st_geomfromgeojson(tinhso_geo_geometry(a))', 'st_geomfromgeojson(tinhso_geo_geometry(b))')
          else f.plain end);
    end loop;
  end $do$;
`;
