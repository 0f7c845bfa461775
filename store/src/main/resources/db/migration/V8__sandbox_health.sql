-- The health a sandbox's container reports (Docker's health check: starting | healthy |
-- unhealthy | none), as the sandbox workflow adopted it from reconciliation. Every transition
-- clears it (null: not reported since the sandbox's last transition).
alter table sandboxes add column health text;
