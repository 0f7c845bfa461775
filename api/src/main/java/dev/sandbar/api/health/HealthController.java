package dev.sandbar.api.health;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.store.Database;
import dev.sandbar.store.host.HostDao;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Unauthenticated, so load balancers and {@code docker compose} health checks can call it. */
@RestController
@Tag(name = "health")
record HealthController(TemporalGateway temporal, Jdbi jdbi, Readiness readiness) {

  private static final Logger log = LoggerFactory.getLogger(HealthController.class);
  private static final Duration TEMPORAL_TIMEOUT = Duration.ofSeconds(3);

  @GetMapping("/v1/health")
  @SecurityRequirements
  @Operation(
      summary =
          "200 once start-up is done (state ready) and Temporal, the database and at least one"
              + " Docker host are up; else 503 with Retry-After")
  @ApiResponse(
      responseCode = "200",
      description = "Ready, all up",
      content = @Content(schema = @Schema(implementation = HealthResponse.class)))
  @ApiResponse(
      responseCode = "503",
      description =
          "Starting, recovering or something down; the answer says what (with Retry-After)",
      content = @Content(schema = @Schema(implementation = HealthResponse.class)))
  ResponseEntity<HealthResponse> health() {
    StartupState state = readiness.state();
    boolean database = databaseUp();
    HealthResponse health =
        HealthResponse.of(state, temporalUp(), database, database && dockerUp());
    if (health.ready()) {
      return ResponseEntity.ok(health);
    }
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, ApiProblem.RETRY_AFTER_SECONDS)
        .body(health);
  }

  private boolean temporalUp() {
    try {
      temporal.ping(TEMPORAL_TIMEOUT);
      return true;
    } catch (RuntimeException e) {
      log.debug("Temporal health check failed", e);
      return false;
    }
  }

  private boolean databaseUp() {
    try {
      return Database.answers(jdbi);
    } catch (RuntimeException e) {
      log.debug("database health check failed", e);
      return false;
    }
  }

  private boolean dockerUp() {
    try {
      return jdbi.withExtension(HostDao.class, HostDao::anyDockerReachable);
    } catch (RuntimeException e) {
      log.debug("host health check failed", e);
      return false;
    }
  }
}
