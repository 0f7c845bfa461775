package dev.sandbar.store.task;

/**
 * What a command was launched with, kept beside its {@code exec_tasks} row so that start-up
 * recovery can give a command that lost its workflow the same environment, limit and stall
 * detection. Never shown by the API: the environment may hold secrets.
 *
 * @param env the environment as a JSON object
 * @param timeoutSeconds the command's time limit from its start
 * @param stallSeconds the stall threshold (0: no stall detection)
 */
public record TaskLaunch(String env, long timeoutSeconds, long stallSeconds) {}
