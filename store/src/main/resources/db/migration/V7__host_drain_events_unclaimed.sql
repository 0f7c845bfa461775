-- Draining is the operator's decision, kept apart from the liveness the worker and the
-- reconciliation write into hosts.state (online | unreachable | offline): a worker that registers
-- again, or a host that comes back from unreachable, stays drained until the operator undrains it.
alter table hosts add column draining boolean not null default false;
update hosts set draining = true, state = 'online' where state = 'draining';

-- Every change made to a host by the operator or by Sandbar, newest last.
create table host_events (
    id          bigint generated always as identity primary key,
    host_id     text        not null,
    actor       text        not null, -- admin | system
    action      text        not null, -- drain | undrain | ...
    reason      text,
    at          timestamptz not null default now()
);

create index host_events_host on host_events (host_id, id);

-- Containers of this installation found on a host that belong to no sandbox the database knows.
-- Written by the host's reconciliation (each pass replaces the host's list); first_seen_at is what
-- a safety age before removal counts from. Never a reason by itself to remove a container.
create table unclaimed_containers (
    host_id        text        not null,
    container_id   text        not null,
    name           text,
    sandbox_id     text,    -- the sandbox id label the container carries, unknown to the database
    has_volume     boolean     not null,
    first_seen_at  timestamptz not null,
    last_seen_at   timestamptz not null,
    primary key (host_id, container_id)
);
