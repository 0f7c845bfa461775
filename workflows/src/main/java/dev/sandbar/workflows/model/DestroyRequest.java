package dev.sandbar.workflows.model;

/** Destroy, optionally exporting the data path to an archive first. */
public record DestroyRequest(Actor actor, String reason, boolean preserveData) {}
