import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261207120000_planning',
    up: `
      -- A plan (the 2023 AI plan is the reference one) in versions: an amendment is a new version
      -- that adds, retires or rewords tasks; nothing is overwritten.
      create table plan (
        id uuid primary key default gen_random_uuid(),
        code text not null unique,
        title text not null,
        title_en text,
        issuer_org_id uuid references organization(id) on delete set null,
        decision_ref text,
        issued_on date,
        first_year integer not null,
        last_year integer not null check (last_year >= first_year),
        created_at timestamptz not null default now()
      );
      create table plan_version (
        plan_id uuid not null references plan(id) on delete cascade,
        version integer not null check (version >= 1),
        note text not null,
        decision_ref text,
        effective_from date not null,
        created_at timestamptz not null default now(),
        created_by uuid,
        primary key (plan_id, version)
      );
      -- Content groups: the plan's section II headings (awareness, data, ecosystem, applications,
      -- cooperation), and one for the funding and organisation tasks of sections III and IV.
      create table plan_group (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references plan(id) on delete cascade,
        code text not null,
        position integer not null,
        title text not null,
        title_en text,
        unique (plan_id, code)
      );
      create table plan_task (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references plan(id) on delete cascade,
        group_id uuid references plan_group(id) on delete set null,
        ref text not null,
        position integer not null,
        heading text not null,
        text text not null,
        version_from integer not null,
        version_to integer,
        replaces_id uuid references plan_task(id),
        check (version_to is null or version_to > version_from)
      );
      create unique index plan_task_ref_idx on plan_task (plan_id, ref) where version_to is null;
      -- Who carries a task: lead or coordinating units, over time. When a unit is dissolved its
      -- assignments close and its successors' open, pointing back (history kept).
      create table plan_assignment (
        id uuid primary key default gen_random_uuid(),
        task_id uuid not null references plan_task(id) on delete cascade,
        org_id uuid not null references organization(id),
        role text not null check (role in ('lead', 'coordinate')),
        valid_from date not null default '2023-01-01',
        valid_to date,
        succeeds_id uuid references plan_assignment(id),
        note text,
        check (valid_to is null or valid_to > valid_from)
      );
      create index plan_assignment_org_idx on plan_assignment (org_id, task_id);
      create index plan_assignment_task_idx on plan_assignment (task_id);

      create table plan_indicator (
        id uuid primary key default gen_random_uuid(),
        plan_id uuid not null references plan(id) on delete cascade,
        code text not null,
        scope text not null check (scope in ('national', 'province')),
        name text not null,
        name_en text,
        unit text not null,
        unit_en text,
        -- 'up': more is better; 'down': less is better (a rank).
        direction text not null default 'up' check (direction in ('up', 'down')),
        baseline numeric,
        baseline_year integer,
        responsible_org_id uuid references organization(id) on delete set null,
        source text not null check (source in ('entered', 'computed')),
        compute_key text,
        note text,
        unique (plan_id, code),
        check ((source = 'computed') = (compute_key is not null))
      );
      create table plan_indicator_target (
        indicator_id uuid not null references plan_indicator(id) on delete cascade,
        year integer not null,
        target numeric not null,
        primary key (indicator_id, year)
      );
      -- What the platform computed for an indicator, per year (kept, so past years stay as they were).
      create table plan_indicator_value (
        indicator_id uuid not null references plan_indicator(id) on delete cascade,
        year integer not null,
        value numeric not null,
        computed_at timestamptz not null default now(),
        primary key (indicator_id, year)
      );

      -- A reporting regime (Nghị định 09/2019/NĐ-CP, Điều 7): what, who to whom, how, how often,
      -- the data cut-off period, the deadline, the outline.
      create table plan_regime (
        id uuid primary key default gen_random_uuid(),
        code text not null unique,
        plan_id uuid references plan(id) on delete set null,
        name text not null,
        name_en text,
        content text not null,
        senders text not null,
        receiver_org_id uuid not null references organization(id),
        channel text not null check (channel in ('electronic', 'paper', 'both')),
        frequency text not null check (frequency in ('monthly', 'quarterly', 'semiannual', 'annual', 'thematic', 'adhoc')),
        -- Annual data cut-off: from (month, day) of the previous year to (month, day) of the year.
        cutoff_from_month integer not null default 12,
        cutoff_from_day integer not null default 15,
        cutoff_to_month integer not null default 12,
        cutoff_to_day integer not null default 14,
        deadline_month integer not null,
        deadline_day integer not null,
        reminder_days integer[] not null default '{14,7,1}',
        outline text not null,
        -- The Department's own Word template for the consolidated report (at most 10 MB), or null for the built-in one.
        template bytea,
        created_at timestamptz not null default now()
      );
      create table plan_round (
        id uuid primary key default gen_random_uuid(),
        regime_id uuid not null references plan_regime(id) on delete cascade,
        kind text not null check (kind in ('periodic', 'thematic', 'adhoc')),
        year integer not null,
        title text not null,
        period_from date not null,
        period_to date not null,
        deadline date not null,
        published boolean not null default false,
        created_at timestamptz not null default now(),
        check (period_to >= period_from)
      );
      create unique index plan_round_periodic_idx on plan_round (regime_id, year) where kind = 'periodic';

      create table plan_report (
        id uuid primary key default gen_random_uuid(),
        round_id uuid not null references plan_round(id) on delete cascade,
        org_id uuid not null references organization(id),
        status text not null default 'draft' check (status in ('draft', 'submitted', 'returned', 'accepted')),
        return_reason text,
        first_submitted_at timestamptz,
        submitted_at timestamptz,
        accepted_at timestamptz,
        updated_at timestamptz not null default now(),
        unique (round_id, org_id)
      );
      create table plan_report_section (
        report_id uuid not null references plan_report(id) on delete cascade,
        task_id uuid not null references plan_task(id),
        status text check (status in ('not_started', 'in_progress', 'done', 'overdue')),
        done text,
        results text,
        difficulties text,
        proposals text,
        evidence jsonb not null default '[]',
        return_reason text,
        primary key (report_id, task_id)
      );
      create table plan_report_value (
        report_id uuid not null references plan_report(id) on delete cascade,
        indicator_id uuid not null references plan_indicator(id),
        value numeric,
        note text,
        primary key (report_id, indicator_id)
      );
      -- The report's own timeline (saved, submitted, returned, accepted), beside the audit trail.
      create table plan_report_event (
        id bigint generated always as identity primary key,
        report_id uuid not null references plan_report(id) on delete cascade,
        at timestamptz not null default now(),
        actor_id uuid,
        actor_label text,
        action text not null,
        details jsonb not null default '{}'
      );
      create index plan_report_event_report_idx on plan_report_event (report_id, id);
      -- Reminders sent, so each is sent once per unit, round and kind.
      create table plan_reminder (
        round_id uuid not null references plan_round(id) on delete cascade,
        org_id uuid not null references organization(id),
        kind text not null,
        sent_at timestamptz not null default now(),
        recipients integer not null,
        primary key (round_id, org_id, kind)
      );
      -- The province's consolidated report of a round: the Department's own text and the
      -- administrative document's particulars (Nghị định 30/2020/NĐ-CP).
      create table plan_consolidated (
        round_id uuid primary key references plan_round(id) on delete cascade,
        number_symbol text not null default '/BC-SKHCN',
        place text not null default 'Ninh Thuận',
        doc_date date,
        summary text not null default '',
        assessment text not null default '',
        recommendations text not null default '',
        recipients text[] not null default '{}',
        signer_title text not null default 'GIÁM ĐỐC',
        signer_name text not null default '',
        finalised_at timestamptz,
        finalised_by uuid,
        updated_at timestamptz not null default now()
      );
    `,
  },
  {
    name: '20261207150000_planning_proposals',
    up: `
      -- The open expert groups the Department forms review councils from (inside and outside the province).
      create table plan_expert (
        id uuid primary key default gen_random_uuid(),
        name text not null check (length(name) between 1 and 200),
        email text,
        field text not null,
        affiliation text not null default '',
        in_province boolean not null default true,
        active boolean not null default true,
        created_at timestamptz not null default now()
      );
      -- S&T task proposals about AI from organizations, businesses and individuals.
      create table plan_proposal (
        id uuid primary key default gen_random_uuid(),
        code text not null unique,
        title text not null check (length(title) between 1 and 500),
        objectives text not null,
        products text not null,
        budget_million numeric not null check (budget_million >= 0),
        duration_months integer not null check (duration_months between 1 and 120),
        field text not null default '',
        proposer_kind text not null check (proposer_kind in ('organization', 'business', 'individual')),
        proposer_name text not null,
        proposer_email text not null,
        proposer_org text,
        status text not null default 'submitted' check (status in ('submitted', 'screened_out', 'in_review', 'approved', 'rejected')),
        screening_note text,
        decision_note text,
        mean_score numeric,
        decided_at timestamptz,
        track_token_hash text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index plan_proposal_status_idx on plan_proposal (status, created_at desc);
      create table plan_council_member (
        proposal_id uuid not null references plan_proposal(id) on delete cascade,
        expert_id uuid not null references plan_expert(id),
        role text not null check (role in ('chair', 'member')),
        primary key (proposal_id, expert_id)
      );
      create unique index plan_council_chair_idx on plan_council_member (proposal_id) where role = 'chair';
      -- A council member's scoring sheet, criterion by criterion.
      create table plan_score (
        proposal_id uuid not null references plan_proposal(id) on delete cascade,
        expert_id uuid not null references plan_expert(id),
        criterion text not null,
        score numeric not null check (score >= 0),
        comment text,
        primary key (proposal_id, expert_id, criterion)
      );
      create table plan_proposal_event (
        id bigint generated always as identity primary key,
        proposal_id uuid not null references plan_proposal(id) on delete cascade,
        action text not null,
        note text,
        actor_label text,
        at timestamptz not null default now()
      );
    `,
  },
  {
    name: '20261207160000_planning_evidence_files',
    up: `
      -- Evidence files a unit attaches to a task's section of its report (the file itself is in the file store).
      create table plan_report_file (
        id uuid primary key default gen_random_uuid(),
        report_id uuid not null references plan_report(id) on delete cascade,
        task_id uuid not null references plan_task(id),
        file_key text not null unique,
        name text not null,
        content_type text not null,
        size bigint not null,
        sha256 text not null,
        created_by uuid,
        created_at timestamptz not null default now()
      );
      create index plan_report_file_report_idx on plan_report_file (report_id, task_id);
    `,
  },
];
