-- A drain hands notices out without deleting them; the client's acknowledgement (the drain's
-- cursor) deletes them. delivered_cursor is the highest cursor of any drain that answered the row:
-- an acknowledgement deletes only rows some drain up to its cursor answered, so a notice whose
-- insert committed after a drain with a higher seq (bigserial order is not commit order) is kept.
alter table notifications add column delivered_cursor bigint;

-- What a command was launched with, so start-up recovery can give a re-attached command the same
-- environment, time limit and stall detection. Written on insert only; null for older rows.
alter table exec_tasks add column env jsonb;
alter table exec_tasks add column timeout_seconds bigint;
alter table exec_tasks add column stall_seconds bigint;
