package dev.sandbar.api.metrics;

import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.MetricsInput;
import dev.sandbar.workflows.model.SandboxMetrics;
import dev.sandbar.workflows.model.SandboxState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Samples a sandbox's resource use on its host, through a short workflow (the API never talks to
 * Docker). Whatever cannot be measured is answered as {@code supported: false} with the reason,
 * never as a server error: a sandbox without a container, a host that does not answer, a stat the
 * host's cgroup lacks.
 */
@Service
record SandboxMetricsService(TemporalGateway temporal, SandboxQueries sandboxes) {

  private static final Logger log = LoggerFactory.getLogger(SandboxMetricsService.class);

  /** The sample's own timeouts, plus room for the workflow's two tasks. */
  static final Duration SAMPLE_TIMEOUT =
      ActivityOptionsCatalog.METRICS_SAMPLE_TIMEOUT.multipliedBy(2).plusSeconds(5);

  SandboxMetricsResponse sample(String tenantId, String sandboxId) {
    SandboxResponse sandbox = sandboxes.get(tenantId, sandboxId);
    long now = System.currentTimeMillis();
    if (SandboxState.DESTROYED.wire().equals(sandbox.state())) {
      return of(sandbox, SandboxMetrics.unsupported("the sandbox is destroyed", now));
    }
    String hostId = sandbox.hostId();
    if (hostId == null) {
      return of(sandbox, SandboxMetrics.unsupported("the sandbox has no host yet", now));
    }
    try {
      return of(
          sandbox,
          temporal.sampleMetrics(
              new MetricsInput(hostId, new ContainerRef(sandboxId)), SAMPLE_TIMEOUT));
    } catch (RuntimeException e) {
      // Temporal itself unreachable, or the short workflow timed out: still an answer, not a 500.
      log.warn("sampling the metrics of sandbox {} on host {} failed", sandboxId, hostId, e);
      return of(
          sandbox,
          SandboxMetrics.unsupported(
              "the metrics of host " + hostId + " could not be read: " + e.getMessage(), now));
    }
  }

  private static SandboxMetricsResponse of(SandboxResponse sandbox, SandboxMetrics metrics) {
    return SandboxMetricsResponse.of(sandbox.id(), sandbox.state(), metrics);
  }
}
