package dev.sandbar.workflows.model;

/**
 * Starts a command under the wrapper and waits for it, in one activity.
 *
 * @param start what to start
 * @param await how to wait for it (its ref is the start's)
 */
public record RunCommand(StartCommand start, AwaitCommand await) {}
