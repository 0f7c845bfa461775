-- Tenants and their API keys. Keys are stored as SHA-256 hashes; the plain key is shown once.
create table tenants (
    id          text primary key,
    name        text        not null,
    created_at  timestamptz not null default now()
);

create table api_keys (
    id          text primary key,
    tenant_id   text        not null references tenants (id),
    key_hash    text        not null unique,
    prefix      text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

-- Docker hosts, one per worker. A worker upserts its row at start-up and heartbeats it.
create table hosts (
    id                text primary key,
    task_queue        text             not null,
    state             text             not null, -- online | draining | unreachable | offline
    cpus              double precision not null,
    memory_mb         bigint           not null,
    max_sandboxes     integer          not null,
    labels            jsonb            not null default '[]',
    images            jsonb            not null default '[]', -- image references present on the host
    docker_reachable  boolean          not null default true,
    last_heartbeat_at timestamptz      not null,
    started_at        timestamptz      not null
);

-- The read model of sandboxes. The API inserts a row in state 'creating' before it starts the
-- sandbox workflow; from then on only that workflow writes the row (through an activity), and
-- only with a higher seq, so a late retry can never move it backwards.
create table sandboxes (
    id               text primary key,
    tenant_id        text             not null references tenants (id),
    host_id          text,
    state            text             not null,
    container_id     text,
    error            text,
    image            text             not null,
    cpus             double precision not null,
    memory_mb        bigint           not null,
    spec             jsonb            not null,
    labels           jsonb            not null default '{}',
    idempotency_key  text,
    seq              bigint           not null default 0,
    archive_id       text,
    created_at       timestamptz      not null,
    updated_at       timestamptz      not null,
    last_activity_at timestamptz,
    unique (tenant_id, idempotency_key)
);

create index sandboxes_tenant_page on sandboxes (tenant_id, created_at, id);
create index sandboxes_host on sandboxes (host_id) where state <> 'destroyed';

-- Every transition, by users and by Sandbar itself.
create table audit_events (
    id          text primary key,
    sandbox_id  text        not null,
    tenant_id   text        not null,
    seq         bigint      not null,
    actor       text        not null, -- user | system
    action      text        not null,
    from_state  text,
    to_state    text        not null,
    reason      text,
    outcome     text        not null, -- ok | failed
    error       text,
    at          timestamptz not null
);

create index audit_events_sandbox on audit_events (sandbox_id, seq);
