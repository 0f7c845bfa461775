-- Whether the host's Docker daemon runs containers in a user namespace (userns-remap), as its
-- worker found at start; null until a worker that checks has registered the host.
alter table hosts add column user_namespaces boolean;
