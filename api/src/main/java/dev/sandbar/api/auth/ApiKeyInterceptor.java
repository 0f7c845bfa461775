package dev.sandbar.api.auth;

import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves the {@link Caller} of every {@code /v1} request from its bearer key, and of every E2B
 * control-plane request ({@code /e2b}) from its {@code X-API-Key} header, the header E2B's SDK
 * sends. An interceptor rather than a servlet filter, so its 401 and 403 go through the same
 * problem handler as every other error.
 */
record ApiKeyInterceptor(ApiKeyService keys, SandbarApiProperties properties, KeyHeader header)
    implements HandlerInterceptor {

  private static final String BEARER = "Bearer ";

  /** Where a request carries its key. */
  enum KeyHeader {
    /** {@code Authorization: Bearer <key>}: the native API. */
    BEARER_AUTHORIZATION("missing API key: send 'Authorization: Bearer <key>'"),
    /** {@code X-API-Key: <key>}: E2B's SDK. */
    X_API_KEY("missing API key: send 'X-API-Key: <key>' (E2B_API_KEY)");

    private final String missing;

    KeyHeader(String missing) {
      this.missing = missing;
    }

    @Nullable String key(HttpServletRequest request) {
      if (this == X_API_KEY) {
        String key = request.getHeader("X-API-Key");
        return key == null || key.isBlank() ? null : key.trim();
      }
      return bearerKey(request.getHeader(HttpHeaders.AUTHORIZATION));
    }
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    AdminOnly marker = method.getMethodAnnotation(AdminOnly.class);
    if (marker == null) {
      marker = method.getBeanType().getAnnotation(AdminOnly.class);
    }
    request.setAttribute(Caller.REQUEST_ATTRIBUTE, authenticate(header.key(request), marker));
    return true;
  }

  private Caller authenticate(@Nullable String key, @Nullable AdminOnly marker) {
    boolean adminOnly = marker != null;
    boolean hidden = adminOnly && marker.hiddenFromTenants();
    if (adminOnly && !hidden && !properties.adminEnabled()) {
      throw ApiProblem.forbidden("the admin API is disabled: set SANDBAR_ADMIN_KEY to enable it");
    }
    if (key == null) {
      throw ApiProblem.unauthorized(header.missing);
    }
    if (properties.adminEnabled() && isAdminKey(key)) {
      return Caller.ofAdmin();
    }
    String tenantId =
        keys.tenantForKey(key)
            .orElseThrow(() -> ApiProblem.unauthorized("the API key is invalid or revoked"));
    if (hidden) {
      throw ApiProblem.notFound("no such resource");
    }
    if (adminOnly) {
      throw ApiProblem.forbidden("this endpoint needs the admin key");
    }
    return Caller.ofTenant(tenantId);
  }

  /** Compares digests so the comparison takes the same time whatever the key's length. */
  private boolean isAdminKey(String key) {
    return MessageDigest.isEqual(
        ApiKeyService.sha256(key), ApiKeyService.sha256(properties.adminKey()));
  }

  private static @Nullable String bearerKey(@Nullable String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String key = authorization.substring(BEARER.length()).trim();
    return key.isEmpty() ? null : key;
  }
}
