package dev.sandbar.workflows.model;

import java.util.Map;

/** Launches a command detached under the wrapper. */
public record StartCommand(CommandRef ref, String command, String cwd, Map<String, String> env) {}
