package dev.sandbar.workflows.model;

/**
 * A request for another host for a sandbox that lives on {@code fromHostId}: its placement, with
 * that host excluded.
 */
public record Relocation(Placement placement, String fromHostId) {}
