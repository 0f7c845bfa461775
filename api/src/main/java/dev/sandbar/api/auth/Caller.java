package dev.sandbar.api.auth;

import dev.sandbar.api.problem.ApiProblem;
import org.jspecify.annotations.Nullable;

/**
 * Who sent a request: a tenant (through one of its API keys) or the operator (through the admin
 * key). Controllers take it as a parameter; the API key interceptor has resolved it by then.
 */
public record Caller(@Nullable String tenantId, boolean admin) {

  static final String REQUEST_ATTRIBUTE = Caller.class.getName();

  static Caller ofTenant(String tenantId) {
    return new Caller(tenantId, false);
  }

  static Caller ofAdmin() {
    return new Caller(null, true);
  }

  /** The caller's tenant; the admin key belongs to none, so it cannot own sandboxes. */
  public String requireTenant() {
    if (tenantId == null) {
      throw ApiProblem.forbidden("the admin key has no tenant: use a tenant's API key");
    }
    return tenantId;
  }

  public void requireAdmin() {
    if (!admin) {
      throw ApiProblem.forbidden("this operation needs the admin key");
    }
  }
}
