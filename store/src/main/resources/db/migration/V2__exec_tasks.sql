-- Commands run in sandboxes. Written only by each command's ExecWorkflow (through an activity);
-- a row that has ended is never moved back to running.
create table exec_tasks (
    id            text primary key,
    sandbox_id    text        not null,
    tenant_id     text        not null,
    session_id    text        not null default '',
    description   text,
    command       text        not null,
    cwd           text,
    background    boolean     not null,
    status        text        not null, -- running | completed | failed | killed | timed_out
    exit_code     integer,
    stalled       boolean     not null default false,
    output_file   text        not null,
    output_tail   text,
    output_bytes  bigint      not null default 0,
    error         text,
    started_at    timestamptz not null,
    ended_at      timestamptz,
    -- "Ended" is read from either column (the API by status, pruning by ended_at): keep them agreeing.
    constraint exec_tasks_ended_when_not_running check ((status = 'running') = (ended_at is null))
);

create index exec_tasks_sandbox on exec_tasks (sandbox_id, started_at);
create index exec_tasks_ended on exec_tasks (ended_at) where ended_at is not null;

-- Completion and stall notices per (sandbox, session), drained by the agent. seq orders them.
create table notifications (
    seq         bigserial   primary key,
    id          text        not null unique,
    sandbox_id  text        not null,
    tenant_id   text        not null,
    session_id  text        not null default '',
    task_id     text        not null,
    kind        text        not null, -- completed | stalled
    status      text        not null,
    exit_code   integer,
    message     text        not null,
    created_at  timestamptz not null
);

create index notifications_drain on notifications (sandbox_id, session_id, seq);
