package dev.sandbar.workflows.model;

/** What Docker reports about a sandbox's container. */
public enum ContainerStatus {
  /** No container by the sandbox's name exists. */
  ABSENT,
  CREATED,
  RUNNING,
  PAUSED,
  EXITED
}
