package dev.sandbar.workflows.model;

/** A sandbox's lifetime as its workflow changed it: the read model's spec takes it over. */
public record SandboxLifetime(String sandboxId, long ttlSeconds) {}
