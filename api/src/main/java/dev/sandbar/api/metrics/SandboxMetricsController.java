package dev.sandbar.api.metrics;

import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "sandboxes")
record SandboxMetricsController(SandboxMetricsService metrics) {

  @GetMapping("/v1/sandboxes/{id}/metrics")
  @Operation(
      summary = "Sample a sandbox's CPU, memory, process count and data volume size",
      description =
          "Read from the sandbox's host at request time (about a second: Docker reads the cgroup"
              + " twice for the CPU rate). What the host cannot say is supported: false with a"
              + " reason, per group and, for the live figures, at the top.")
  SandboxMetricsResponse metrics(Caller caller, @PathVariable String id) {
    return metrics.sample(caller.requireTenant(), id);
  }
}
