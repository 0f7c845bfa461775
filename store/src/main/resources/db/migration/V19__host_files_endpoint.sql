-- Where the host's worker serves its sandboxes' files to the API (SANDBAR_WORKER_URL, e.g.
-- http://10.0.0.5:8091), as its worker advertised at registration; null when it serves none.
alter table hosts add column files_url text;
