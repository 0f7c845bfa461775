package dev.sandbar.workflows.model;

/** Exports the container's data path into the archive store as {@code archiveId}. */
public record ExportData(ContainerRef ref, String archiveId, String dataPath) {}
