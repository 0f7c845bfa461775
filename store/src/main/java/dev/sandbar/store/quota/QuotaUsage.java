package dev.sandbar.store.quota;

/**
 * What a tenant uses of each quota right now.
 *
 * @param commands running commands of the tenant, admitted ones not yet recorded included
 * @param sandboxes sandboxes not destroyed (stopped and failed ones included: they keep their data)
 * @param archiveBytes bytes of the tenant's archives that are not deleted
 */
public record QuotaUsage(long commands, long sandboxes, long archiveBytes) {}
