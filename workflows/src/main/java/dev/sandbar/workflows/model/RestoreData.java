package dev.sandbar.workflows.model;

/** Restores an archive into a created, not yet started, container's data path. */
public record RestoreData(ContainerRef ref, ArchiveFile archive, String dataPath) {}
