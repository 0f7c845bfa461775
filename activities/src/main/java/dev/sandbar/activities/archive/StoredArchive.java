package dev.sandbar.activities.archive;

/** A complete archive present in a store, as {@link ArchiveStore#list()} reports it. */
public record StoredArchive(String archiveId, long sizeBytes) {}
