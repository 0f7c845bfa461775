package dev.sandbar.api.quota;

/**
 * What a tenant uses now, in the units of its quotas.
 *
 * @param commands commands running in all its sandboxes (just admitted ones included)
 * @param sandboxes sandboxes not destroyed
 * @param archiveBytes bytes of the archives it keeps
 */
record QuotaUsageResponse(long commands, long sandboxes, long archiveBytes) {}
