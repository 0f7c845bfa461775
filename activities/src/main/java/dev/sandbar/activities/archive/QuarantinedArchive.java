package dev.sandbar.activities.archive;

import java.time.Instant;

/**
 * An archive in quarantine, as {@link ArchiveStore#quarantined()} reports it.
 *
 * @param name its name in quarantine: the archive id, with a suffix when the same id was
 *     quarantined more than once
 * @param quarantinedAt when it was moved there
 */
public record QuarantinedArchive(String name, long sizeBytes, Instant quarantinedAt) {}
