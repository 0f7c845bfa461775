package dev.sandbar.api.admin;

import dev.sandbar.store.auth.Tenant;
import java.time.Instant;

record TenantResponse(String id, String name, Instant createdAt) {
  static TenantResponse of(Tenant tenant) {
    return new TenantResponse(tenant.id(), tenant.name(), tenant.createdAt());
  }
}
