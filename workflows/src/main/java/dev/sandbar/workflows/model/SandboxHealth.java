package dev.sandbar.workflows.model;

/**
 * The health a sandbox's workflow adopted from its host's report, for the read model.
 *
 * @param seq the sequence number of the sandbox's current transition: a health written for an older
 *     one (the sandbox moved on meanwhile) is dropped
 */
public record SandboxHealth(String sandboxId, long seq, Health health) {}
