package dev.sandbar.workflows.model;

/** Makes the claimed pool container {@code slot} the sandbox {@code request} describes. */
public record AdoptPooled(PoolSlot slot, CreateContainer request) {}
