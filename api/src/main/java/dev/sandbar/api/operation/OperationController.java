package dev.sandbar.api.operation;

import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator views. Every operation is a workflow whose activities time out, so a sandbox that stays
 * in a transient state is one whose workflow is retrying something: the link shows what.
 */
@RestController
@RequestMapping("/v1/operations")
@Tag(name = "operations", description = "Operations in flight for longer than expected")
class OperationController {

  private final SandboxQueries sandboxes;
  private final SandbarApiProperties properties;
  private final String namespace;

  OperationController(
      SandboxQueries sandboxes, SandbarApiProperties properties, TemporalGateway temporal) {
    this.sandboxes = sandboxes;
    this.properties = properties;
    this.namespace = temporal.namespace();
  }

  @GetMapping("/stuck")
  @Operation(
      summary = "Sandboxes in a transient state for longer than olderThanSeconds",
      description = "A tenant sees its own sandboxes; the admin key sees every tenant's.")
  StuckOperations stuck(Caller caller, @RequestParam(defaultValue = "60") long olderThanSeconds) {
    if (olderThanSeconds < 0) {
      throw ApiProblem.invalid("olderThanSeconds", "must not be negative");
    }
    Instant now = Instant.now();
    String tenantId = caller.admin() ? null : caller.requireTenant();
    return new StuckOperations(
        sandboxes.stuck(tenantId, olderThanSeconds).stream()
            .map(sandbox -> stuck(sandbox, now))
            .toList());
  }

  private StuckOperation stuck(SandboxResponse sandbox, Instant now) {
    return new StuckOperation(
        sandbox.id(),
        sandbox.state(),
        sandbox.updatedAt(),
        Math.max(0, Duration.between(sandbox.updatedAt(), now).toSeconds()),
        properties.temporalUiUrl()
            + "/namespaces/"
            + namespace
            + "/workflows/"
            + SandboxWorkflow.workflowId(sandbox.id()),
        sandbox);
  }
}
