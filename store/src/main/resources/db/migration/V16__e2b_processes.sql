-- E2B's SDK names a process by an integer pid; Sandbar's commands are tasks with text ids. Each
-- command started through E2B's in-sandbox protocol gets the next number of one sequence as its
-- pid, kept here with what the SDK's process list shows of it (its command line, cwd and tag; not
-- its environment, which may hold secrets). No foreign key: a task row is pruned on its own
-- schedule, and a pid whose task is gone simply matches nothing.
create table e2b_processes (
    pid        integer generated always as identity primary key,
    tenant_id  text not null,
    sandbox_id text not null,
    task_id    text not null unique,
    cmd        text not null,
    args_json  text not null,
    cwd        text,
    tag        text,
    created_at timestamptz not null default now()
);

create index e2b_processes_sandbox on e2b_processes (sandbox_id, tenant_id);
