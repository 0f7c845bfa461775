package dev.sandbar.store.quota;

/**
 * Why an admission was refused: the quota by its wire name ({@code commandsPerSandbox}, ...), its
 * limit and what the tenant (or sandbox) uses now.
 */
public record QuotaRefusal(String quota, long limit, long current) {}
