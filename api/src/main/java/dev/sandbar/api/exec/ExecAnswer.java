package dev.sandbar.api.exec;

/**
 * What {@code POST /v1/sandboxes/{id}/exec} answers: the result (200) or the task's ticket (202).
 */
sealed interface ExecAnswer permits CommandStarted, CommandResult {}
