package dev.sandbar.workflows.model;

/**
 * How a command ended, as its workflow hands it to the store in one write: the task's end row, the
 * notification of a background task's session, and the sandbox to tell.
 *
 * @param notification null when nobody is to be notified (a foreground command)
 */
public record TaskEnd(TaskRecord task, Notification notification) {}
