package dev.sandbar.workflows.model;

/**
 * Waits for a command to end.
 *
 * @param stallSeconds how long output may stay the same before a prompt-looking tail counts as a
 *     stall; 0 disables detection
 * @param stallReported true once the workflow has recorded the stall: report it only once
 * @param maxStreamBytes cap on the stdout and stderr returned, each, in bytes of the read output
 *     and again in bytes of its JSON encoding in the payload
 */
public record AwaitCommand(
    CommandRef ref, long stallSeconds, boolean stallReported, int maxStreamBytes) {}
