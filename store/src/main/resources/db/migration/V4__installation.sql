-- The id of this deployment, generated once by the first worker to start. Every container and
-- volume Sandbar creates carries it as the label sandbar.installation, so a Docker daemon shared
-- with another installation (another data directory, another database) is never confused.
create table installation (
    singleton   boolean     primary key default true check (singleton),
    id          text        not null,
    created_at  timestamptz not null default now()
);
