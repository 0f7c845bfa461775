package dev.sandbar.workflows.model;

/** What an export wrote: the archive's size and SHA-256 (hex), checked again on restore. */
public record ArchiveFile(String archiveId, long sizeBytes, String sha256) {}
