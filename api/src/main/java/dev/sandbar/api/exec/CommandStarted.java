package dev.sandbar.api.exec;

/**
 * A command that goes on in the background (202): follow it through its task, its output file or
 * its session's notifications.
 *
 * @param outputFile the command's combined output log inside the container
 */
record CommandStarted(String taskId, String outputFile) implements ExecAnswer {}
