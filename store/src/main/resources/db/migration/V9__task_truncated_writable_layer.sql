-- Whether a command's output was cut: stdout or stderr at the result's cap, or the stored output at
-- the task's cap (SANDBAR_TASK_OUTPUT_CAP_BYTES), where the wrapper stopped storing it.
alter table exec_tasks add column truncated boolean not null default false;

-- Whether the host's storage driver limits a container's writable layer ("supported (...)" or
-- "unsupported: why"), as its worker found at start; null until a worker reports it.
alter table hosts add column writable_layer_limit text;
