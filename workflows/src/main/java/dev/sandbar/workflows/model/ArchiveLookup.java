package dev.sandbar.workflows.model;

/** Finds an archive that belongs to a tenant. */
public record ArchiveLookup(String archiveId, String tenantId) {}
