package dev.sandbar.api.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /actuator/prometheus} with the admin key ({@code Authorization: Bearer
 * <SANDBAR_ADMIN_KEY>}, as a Prometheus scrape job's {@code authorization} sends it): the figures
 * name every host and count every tenant's sandboxes. {@code SANDBAR_METRICS_PUBLIC=true} opens it
 * for a scraper on an internal network. A filter, since actuator endpoints are not behind the API's
 * interceptors; its 401 and 403 are answered as problems by the error controller.
 */
class ScrapeAuthFilter extends OncePerRequestFilter {

  private static final String BEARER = "Bearer ";

  private final byte @Nullable [] adminKeyDigest;

  ScrapeAuthFilter(@Nullable String adminKey) {
    this.adminKeyDigest = adminKey == null || adminKey.isBlank() ? null : sha256(adminKey);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (adminKeyDigest == null) {
      response.sendError(
          HttpServletResponse.SC_FORBIDDEN,
          "metrics need the admin key: set SANDBAR_ADMIN_KEY, or SANDBAR_METRICS_PUBLIC=true");
      return;
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || !MessageDigest.isEqual(
            sha256(authorization.substring(BEARER.length()).trim()), adminKeyDigest)) {
      response.sendError(
          HttpServletResponse.SC_UNAUTHORIZED, "send 'Authorization: Bearer <admin key>'");
      return;
    }
    chain.doFilter(request, response);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
