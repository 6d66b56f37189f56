import type { AppMigration } from '../../platform/db/index.js';

export const migrations: AppMigration[] = [
  {
    name: '20261203090000_documents',
    up: `
      -- Electronic official documents (edXML). Each organization has an outbox (what it sent) and
      -- an inbox (what it received); a document is one row per box it is in, with the package as
      -- it travelled (a stored file) and its MessageHeader as read.
      create table doc_document (
        id uuid primary key default gen_random_uuid(),
        org_id uuid not null references organization(id) on delete restrict,
        box text not null check (box in ('inbox', 'outbox')),
        document_id text not null,
        from_organ text not null,
        from_name text not null,
        code_number text not null,
        code_notation text not null default '',
        promulgation_date date not null,
        place text not null default '',
        doc_type text not null,
        type_name text not null,
        subject text not null,
        content text not null default '',
        priority smallint not null default 0 check (priority between 0 and 4),
        due_date date,
        signer jsonb not null default '{}',
        header jsonb not null,
        package_key text not null,
        package_size bigint not null,
        package_sha256 text not null,
        -- The signature check when the package was read (null: no signature).
        signature jsonb,
        -- Inbox: the latest business status this organization gave (01–06, 13, 15, 16).
        status text check (status is null or status in ('01', '02', '03', '04', '05', '06', '13', '15', '16')),
        -- Inbox: a recall or update asked for and not yet answered (the business type, its package).
        pending_action text check (pending_action is null or pending_action in ('1', '2')),
        pending_header jsonb,
        recalled boolean not null default false,
        -- The document that replaced this one (business type 3).
        replaced_by uuid references doc_document(id) on delete set null,
        replaces uuid references doc_document(id) on delete set null,
        created_by uuid references app_user(id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        -- Inbox: the agency system acknowledged it through the hub API.
        acknowledged_at timestamptz,
        -- Cursor for "received since" paging.
        seq bigserial not null,
        search_text text not null default ''
      );
      create index doc_document_box_idx on doc_document (org_id, box, seq);
      create index doc_document_docid_idx on doc_document (document_id);
      create index doc_document_search_idx on doc_document using gin (search_text gin_trgm_ops);

      create table doc_attachment (
        document uuid not null references doc_document(id) on delete cascade,
        n integer not null,
        content_id text not null,
        name text not null,
        description text not null default '',
        content_type text not null,
        size bigint not null,
        sha256 text not null,
        file_key text not null,
        primary key (document, n)
      );

      -- An outbox document's recipients and where each stands: transport (delivery) and business
      -- status (the status messages it sent back).
      create table doc_recipient (
        document uuid not null references doc_document(id) on delete cascade,
        organ_id text not null,
        organ_name text not null default '',
        delivery text not null default 'pending' check (delivery in ('pending', 'delivered', 'refused', 'dead')),
        status text,
        status_description text,
        status_at timestamptz,
        recalled boolean not null default false,
        primary key (document, organ_id)
      );

      -- The transactional outbox: every package to send (documents, recalls, updates, statuses),
      -- one row per recipient, written in the transaction that decides to send it.
      create table doc_delivery (
        id uuid primary key default gen_random_uuid(),
        org_id uuid not null references organization(id) on delete restrict,
        document uuid references doc_document(id) on delete cascade,
        kind text not null check (kind in ('document', 'recall', 'update', 'status')),
        to_organ text not null,
        package_key text not null,
        state text not null default 'pending' check (state in ('pending', 'delivered', 'refused', 'dead', 'cancelled')),
        attempts integer not null default 0,
        next_at timestamptz not null default now(),
        last_error text,
        receipt jsonb,
        created_at timestamptz not null default now(),
        delivered_at timestamptz
      );
      create index doc_delivery_due_idx on doc_delivery (next_at) where state = 'pending';
      create index doc_delivery_document_idx on doc_delivery (document);

      -- The timeline: every step of a document, per recipient where it concerns one.
      create table doc_event (
        id bigserial primary key,
        document uuid not null references doc_document(id) on delete cascade,
        organ_id text,
        kind text not null,
        code text,
        description text not null default '',
        actor text,
        at timestamptz not null default now()
      );
      create index doc_event_document_idx on doc_event (document, id);

      -- Packages received once: by the message id they came with (a redelivery), and by the
      -- standard's key (sender, DocumentId, business type, recipient).
      create table doc_received (
        message_id text primary key,
        document uuid references doc_document(id) on delete cascade,
        at timestamptz not null default now()
      );
      create table doc_dedup (
        from_organ text not null,
        document_id text not null,
        business_type text not null,
        to_organ text not null,
        document uuid references doc_document(id) on delete cascade,
        primary key (from_organ, document_id, business_type, to_organ)
      );

      -- Where packages for agencies of other instances go: an organ-code pattern (* one part)
      -- to the documents service of that instance, through the exchange.
      create table doc_route (
        pattern text primary key,
        service text not null,
        position integer not null
      );
      -- The exchange client this instance sends as, and its token (sealed).
      create table doc_settings (
        id boolean primary key default true check (id),
        client text not null,
        sealed_token text not null
      );

      -- Signing keys per organization (the private key sealed with the deployment's key).
      create table doc_org_key (
        org_id uuid primary key references organization(id) on delete cascade,
        cert_pem text not null,
        sealed_key text not null,
        subject text not null,
        issuer text not null,
        serial text not null,
        valid_to timestamptz not null,
        created_at timestamptz not null default now()
      );

      -- Attachments uploaded for a document being composed, bound to the uploader until sent.
      create table doc_upload (
        file_key text primary key references stored_file(key) on delete cascade,
        user_id uuid not null references app_user(id) on delete cascade,
        name text not null,
        content_type text not null,
        size bigint not null,
        created_at timestamptz not null default now()
      );

      -- Webhooks: an agency system's URL told of every package its organization receives.
      create table doc_webhook (
        id uuid primary key default gen_random_uuid(),
        org_id uuid not null references organization(id) on delete cascade,
        url text not null,
        sealed_secret text not null,
        created_at timestamptz not null default now()
      );
    `,
  },
  {
    name: '20261207090000_documents_action_package',
    up: `
      -- The package of the latest recall or update of a sent document, so a recipient the
      -- document reaches after the recall was sent (its delivery was in flight) still gets it.
      alter table doc_document add column action_package text;
      -- A recipient a recall reached before its document did is not sent it: its delivery is
      -- cancelled (the first migration's check left that state out).
      alter table doc_recipient drop constraint doc_recipient_delivery_check;
      alter table doc_recipient add constraint doc_recipient_delivery_check check (delivery in ('pending', 'delivered', 'refused', 'dead', 'cancelled'));
    `,
  },
];
