package dev.sandbar.workflows.model;

/** Reads {@code limit} bytes of a command's log from {@code offset}. */
public record ReadOutput(CommandRef ref, long offset, int limit) {}
