-- Changes Sandbar makes by itself outside a sandbox workflow (the reconciliation cron): hosts
-- marked unreachable or reachable again, zombie and unclaimed containers removed. Keyed by the id
-- the workflow generated, so a retried write is a no-op.
create table host_events (
    id          text primary key,
    host_id     text        not null,
    sandbox_id  text,
    actor       text        not null, -- system
    action      text        not null,
    reason      text,
    at          timestamptz not null
);

create index host_events_host on host_events (host_id, at);
