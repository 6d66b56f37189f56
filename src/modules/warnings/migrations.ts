import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261207160000_warnings',
    up: `
      -- Warning rules of an organization over its stations (or one station): a threshold, a rise,
      -- a forecast above a threshold, or a sensor fault.
      create table wr_rule (
        id uuid primary key default gen_random_uuid(),
        org_id uuid not null references organization(id),
        name text not null check (length(name) between 1 and 200),
        kind text not null check (kind in ('threshold', 'rate', 'forecast', 'fault')),
        thing_id bigint references sta_thing(id) on delete cascade,
        parameter text not null check (parameter in ('aqi', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co')),
        threshold double precision not null,
        clear_below double precision not null,
        window_hours integer not null check (window_hours between 1 and 168),
        severity text not null check (severity in ('minor', 'moderate', 'severe', 'extreme')),
        escalate_after_minutes integer not null check (escalate_after_minutes between 5 and 10080),
        public boolean not null default true,
        enabled boolean not null default true,
        created_by uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (clear_below <= threshold)
      );
      create index wr_rule_org_idx on wr_rule (org_id);
      -- An alert is one episode of a rule at a station: at most one not yet resolved per pair.
      create table wr_alert (
        id uuid primary key default gen_random_uuid(),
        rule_id uuid not null references wr_rule(id) on delete cascade,
        thing_id bigint not null references sta_thing(id) on delete cascade,
        state text not null check (state in ('open', 'acknowledged', 'resolved')),
        opened_at timestamptz not null,
        value double precision not null,
        peak double precision not null,
        level integer not null default 0,
        escalated_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by uuid,
        resolved_at timestamptz,
        detail text not null,
        detail_en text not null
      );
      create unique index wr_alert_episode_idx on wr_alert (rule_id, thing_id) where state <> 'resolved';
      create index wr_alert_opened_idx on wr_alert (opened_at desc);
      create table wr_alert_event (
        id bigint generated always as identity primary key,
        alert_id uuid not null references wr_alert(id) on delete cascade,
        at timestamptz not null default clock_timestamp(),
        kind text not null check (kind in ('opened', 'escalated', 'acknowledged', 'resolved')),
        actor uuid,
        value double precision,
        note text
      );
      create index wr_alert_event_alert_idx on wr_alert_event (alert_id, at);
      -- Who is told: a person (their own) or an organization (by its admins), by e-mail or webhook.
      create table wr_subscription (
        id uuid primary key default gen_random_uuid(),
        user_id uuid references app_user(id) on delete cascade,
        org_id uuid references organization(id) on delete cascade,
        channel text not null check (channel in ('email', 'webhook')),
        address text not null,
        sealed_secret text,
        min_severity text not null check (min_severity in ('minor', 'moderate', 'severe', 'extreme')),
        created_at timestamptz not null default now(),
        check ((user_id is null) <> (org_id is null)),
        check ((channel = 'webhook') = (sealed_secret is not null))
      );
    `,
  },
];
