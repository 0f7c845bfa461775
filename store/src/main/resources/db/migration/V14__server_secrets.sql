-- Secrets the API instances share, created once by whichever instance needs one first (insert ...
-- on conflict do nothing, then read back), so every instance of a split deployment and every
-- restart derives the same values from them. First use: the key that signs E2B sandbox access
-- tokens.
create table server_secrets (
    name       text primary key,
    value      bytea not null,
    created_at timestamptz not null default now()
);
