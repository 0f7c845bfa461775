package dev.sandbar.api.admin;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/admin/tenants}.
 *
 * @param id the tenant id; generated when absent
 */
record CreateTenantRequest(@Nullable String id, String name) {}
