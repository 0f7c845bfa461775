package dev.sandbar.api.quota;

/**
 * A tenant's quotas: the limits in force, the tenant's own overrides (null: the deployment's
 * default) and what it uses now.
 */
record TenantQuotasResponse(
    String tenantId, QuotaLimits limits, QuotaLimits overrides, QuotaUsageResponse usage) {}
