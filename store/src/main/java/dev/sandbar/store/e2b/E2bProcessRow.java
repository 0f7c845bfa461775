package dev.sandbar.store.e2b;

import org.jspecify.annotations.Nullable;

/**
 * A command started through E2B's in-sandbox protocol: the pid the SDK knows it by and the task
 * Sandbar runs it as.
 *
 * @param argsJson the process's arguments as a JSON array of strings
 */
public record E2bProcessRow(
    int pid,
    String tenantId,
    String sandboxId,
    String taskId,
    String cmd,
    String argsJson,
    @Nullable String cwd,
    @Nullable String tag) {}
