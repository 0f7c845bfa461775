-- Per-tenant overrides of the deployment's quotas, set through the admin API. A null column means
-- "the deployment's default" (SANDBAR_QUOTA_*), so changing a default reaches every tenant that
-- has no override of its own. No foreign key, like exec_tasks and archives: the admin API checks
-- the tenant, and tests that empty the tenants table need not know this one.
create table tenant_quotas (
    tenant_id                text primary key,
    commands_per_sandbox     integer,
    commands_per_tenant      integer,
    sandboxes_per_tenant     integer,
    archive_bytes_per_tenant bigint,
    updated_at               timestamptz not null
);

-- Commands the API admitted whose exec workflow may not have written its task row yet. Counted
-- with the running task rows at admission, so two requests racing between an admission and the
-- workflow's first write cannot both take the last slot. A row stops counting once its task row
-- exists; rows whose command never started (the sandbox refused it) lapse after a minute.
create table command_admissions (
    task_id     text primary key,
    tenant_id   text        not null,
    sandbox_id  text        not null,
    admitted_at timestamptz not null
);

create index command_admissions_tenant on command_admissions (tenant_id, admitted_at);
create index exec_tasks_running_by_tenant on exec_tasks (tenant_id, sandbox_id)
    where status = 'running';
create index sandboxes_live_by_tenant on sandboxes (tenant_id) where state <> 'destroyed';
create index archives_kept_by_tenant on archives (tenant_id) where status <> 'deleted';
