package dev.sandbar.workflows.model;

/** The answer to an accepted exec: the task id, its workflow and the log file in the container. */
public record ExecTicket(String taskId, String workflowId, String outputFile) {}
