-- Archives of sandbox data paths. The file lives in the archive store; this row is its metadata,
-- checked against the file on every restore and at worker start-up.
create table archives (
    id          text primary key,
    sandbox_id  text        not null,
    tenant_id   text        not null,
    host_id     text,
    size_bytes  bigint      not null,
    sha256      text        not null,
    status      text        not null, -- ready | deleted | quarantined
    reason      text,
    created_at  timestamptz not null
);

create index archives_tenant on archives (tenant_id, created_at, id);
