package dev.sandbar.api.health;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every request that arrives before the application is {@link StartupState#READY} until it is
 * (keys registered, sandboxes recovered, worker polling), so the first call a client makes after
 * the port opens is answered as any later one would be: never a 401 for a key not yet registered,
 * never a 503 for a workflow not yet recovered. A request still waiting after {@code
 * sandbar.api.startup-wait-seconds} gets a 503 with {@code Retry-After}. Health, metrics and the
 * API documentation are answered at once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ReadinessGate extends OncePerRequestFilter {

  private final Readiness readiness;
  private final Duration startupWait;

  ReadinessGate(
      Readiness readiness, @Value("${sandbar.api.startup-wait-seconds:30}") long waitSeconds) {
    this.readiness = readiness;
    this.startupWait = Duration.ofSeconds(waitSeconds);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals("/v1/health")
        || path.startsWith("/actuator")
        || path.startsWith("/v3/api-docs")
        || path.startsWith("/swagger-ui");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean ready;
    try {
      ready = readiness.awaitReady(startupWait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ready = false;
    }
    if (ready) {
      chain.doFilter(request, response);
      return;
    }
    ProblemType type = ProblemType.UNAVAILABLE;
    response.setStatus(type.status().value());
    response.setHeader(HttpHeaders.RETRY_AFTER, ApiProblem.RETRY_AFTER_SECONDS);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    String state = readiness.state().word();
    response
        .getOutputStream()
        .write(
            ("{\"type\":\""
                    + type.type()
                    + "\",\"title\":\""
                    + type.title()
                    + "\",\"status\":"
                    + type.status().value()
                    + ",\"detail\":\"Sandbar is "
                    + state
                    + "; retry shortly\",\"state\":\""
                    + state
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8));
  }
}
