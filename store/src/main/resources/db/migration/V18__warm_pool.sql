-- The warm pool: started containers (each with its own data volume) a host keeps ready so a create
-- with the same image claims one instead of creating. A row is written once its container runs;
-- sandbox_id is set by the claim (one update, so two creates never claim the same container) and
-- the row is deleted when the pool retires the container or the claiming sandbox removes it.
create table pool_containers (
    slot_id        text        primary key,
    host_id        text        not null,
    image          text        not null,
    container_name text        not null,
    volume_name    text        not null,
    state          text        not null, -- ready | claimed | retiring
    sandbox_id     text        unique,
    created_at     timestamptz not null default now(),
    claimed_at     timestamptz
);

create index pool_containers_ready on pool_containers (host_id, image, created_at)
    where state = 'ready';
