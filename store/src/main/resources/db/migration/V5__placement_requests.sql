-- What placement reserved for each sandbox on its host (Kubernetes' requests), written when the
-- sandbox is placed. cpus and memory_mb stay the container's limits. Null on rows placed before
-- requests existed; placement counts those as the default fractions of their limits.
alter table sandboxes
    add column request_cpus      double precision,
    add column request_memory_mb bigint;
