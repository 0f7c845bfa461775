package dev.sandbar.workflows.model;

/** An unclaimed pool container as its host's Docker daemon lists it. */
public record PooledContainer(PoolSlot slot, ContainerStatus status) {}
