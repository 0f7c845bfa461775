package dev.sandbar.workflows.model;

/** A container as Docker sees it; {@code containerId} is null when the container is absent. */
public record ContainerInfo(String containerId, ContainerStatus status) {}
