package dev.sandbar.api.operation;

import dev.sandbar.api.auth.AdminOnly;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator views. Every operation is a workflow whose activities time out or retry, so an operation
 * that takes too long is a workflow waiting for an activity: the listing says which, and the link
 * shows its history.
 */
@RestController
@RequestMapping("/v1/operations")
@Tag(name = "operations", description = "Operations in flight for longer than expected")
class OperationController {

  private final SandboxQueries sandboxes;
  private final StuckWorkflows workflows;
  private final SandbarApiProperties properties;
  private final String namespace;

  OperationController(
      SandboxQueries sandboxes,
      StuckWorkflows workflows,
      SandbarApiProperties properties,
      TemporalGateway temporal) {
    this.sandboxes = sandboxes;
    this.workflows = workflows;
    this.properties = properties;
    this.namespace = temporal.namespace();
  }

  @GetMapping("/stuck")
  @AdminOnly(hiddenFromTenants = true)
  @Operation(
      summary = "Operations running for longer than olderThanSeconds",
      description =
          "Sandboxes in a transient state since before olderThanSeconds, and every open Sandbar"
              + " workflow (sandbox operations, commands, archive deletions, reconciliation)"
              + " whose pending activity was first scheduled before it, with the activity's"
              + " type, attempt and last failure from Temporal. Needs the admin key (a tenant's key"
              + " is answered 404); lists every tenant's operations.")
  StuckOperations stuck(Caller caller, @RequestParam(defaultValue = "60") long olderThanSeconds) {
    if (olderThanSeconds < 0) {
      throw ApiProblem.invalid("olderThanSeconds", "must not be negative");
    }
    Instant now = Instant.now();
    // Admin only: every tenant's operations.
    String tenantId = null;
    Map<String, StuckWorkflow> stuckWorkflows =
        workflows.pendingSince(now.minusSeconds(olderThanSeconds));
    List<StuckOperation> items = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (SandboxResponse sandbox : sandboxes.stuck(tenantId, olderThanSeconds)) {
      String workflowId = SandboxWorkflow.workflowId(sandbox.id());
      StuckWorkflow workflow = stuckWorkflows.get(workflowId);
      if (workflow == null) {
        workflow = workflows.describe(workflowId, null).orElse(null);
      }
      listed.add(workflowId);
      items.add(item(sandbox.id(), sandbox.state(), sandbox.updatedAt(), sandbox, workflow, now));
    }
    for (StuckWorkflow workflow : stuckWorkflows.values()) {
      if (listed.contains(workflow.workflowId())) {
        continue;
      }
      SandboxResponse sandbox =
          workflow.sandboxId() == null
              ? null
              : sandboxes.find(tenantId, workflow.sandboxId()).orElse(null);
      if (tenantId != null && sandbox == null) {
        continue; // not one of the tenant's sandboxes, or no sandbox's at all
      }
      boolean sandboxWorkflow =
          sandbox != null && workflow.workflowId().equals(SandboxWorkflow.workflowId(sandbox.id()));
      items.add(
          item(
              workflow.sandboxId(),
              sandboxWorkflow ? sandbox.state() : null,
              workflow.pendingActivity().since(),
              sandbox,
              workflow,
              now));
    }
    items.sort(Comparator.comparing(StuckOperation::since));
    return new StuckOperations(items);
  }

  private StuckOperation item(
      @Nullable String sandboxId,
      @Nullable String state,
      Instant since,
      @Nullable SandboxResponse sandbox,
      @Nullable StuckWorkflow workflow,
      Instant now) {
    String workflowId =
        workflow != null ? workflow.workflowId() : SandboxWorkflow.workflowId(sandboxId);
    String runId = workflow == null ? null : workflow.runId();
    return new StuckOperation(
        sandboxId,
        state,
        since,
        Math.max(0, Duration.between(since, now).toSeconds()),
        properties.temporalUiUrl()
            + "/namespaces/"
            + namespace
            + "/workflows/"
            + workflowId
            + (runId == null ? "" : "/" + runId),
        sandbox,
        workflow == null ? null : workflowId,
        runId,
        workflow == null ? null : workflow.workflowType(),
        workflow == null ? null : workflow.pendingActivity());
  }
}
