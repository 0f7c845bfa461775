package dev.sandbar.api.sandbox;

import dev.sandbar.workflows.model.Resources;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The share of its limits a sandbox reserves when its create request names no {@code
 * resources.requestCpus} or {@code resources.requestMemoryMb}, as Kubernetes defaults requests at
 * admission. Workers read the same variables for sandboxes whose spec predates requests.
 *
 * @param cpuFraction {@code SANDBAR_PLACEMENT_CPU_REQUEST_FRACTION}, default {@value
 *     Resources#DEFAULT_CPU_REQUEST_FRACTION}
 * @param memoryFraction {@code SANDBAR_PLACEMENT_MEMORY_REQUEST_FRACTION}, default {@value
 *     Resources#DEFAULT_MEMORY_REQUEST_FRACTION}
 */
@Component
public record RequestDefaults(double cpuFraction, double memoryFraction) {

  public RequestDefaults(
      @Value(
              "${sandbar.placement.cpu-request-fraction:${SANDBAR_PLACEMENT_CPU_REQUEST_FRACTION:"
                  + Resources.DEFAULT_CPU_REQUEST_FRACTION
                  + "}}")
          double cpuFraction,
      @Value(
              "${sandbar.placement.memory-request-fraction:"
                  + "${SANDBAR_PLACEMENT_MEMORY_REQUEST_FRACTION:"
                  + Resources.DEFAULT_MEMORY_REQUEST_FRACTION
                  + "}}")
          double memoryFraction) {
    if (!(cpuFraction > 0 && cpuFraction <= 1)) {
      throw new IllegalArgumentException(
          "SANDBAR_PLACEMENT_CPU_REQUEST_FRACTION must be greater than 0 and at most 1");
    }
    if (!(memoryFraction > 0 && memoryFraction <= 1)) {
      throw new IllegalArgumentException(
          "SANDBAR_PLACEMENT_MEMORY_REQUEST_FRACTION must be greater than 0 and at most 1");
    }
    this.cpuFraction = cpuFraction;
    this.memoryFraction = memoryFraction;
  }
}
