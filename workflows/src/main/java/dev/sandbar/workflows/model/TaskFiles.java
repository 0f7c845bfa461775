package dev.sandbar.workflows.model;

import java.util.List;

/**
 * Ended tasks of one sandbox whose files ({@link CommandRef#taskDir()}) are to be removed from its
 * container, on its host's queue.
 */
public record TaskFiles(String sandboxId, List<String> taskIds) {}
