package dev.sandbar.workflows.model;

/** Limits applied to a sandbox's container. */
public record Resources(double cpus, long memoryMb, long pids) {
  public static final Resources DEFAULT = new Resources(1.0, 512, 256);
}
