package dev.sandbar.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code sandbar_operation_duration_seconds{operation,outcome}}: a histogram of how long the API
 * waited for a sandbox's workflow to answer an operation (start, stop, pause, resume, restart,
 * destroy, snapshot, lifetime, and exec, whose answer is the command started), and of how long a
 * create took from the request to the settled state (recorded for creates with {@code wait: true}).
 * {@code outcome} is {@code ok} or {@code failed} (refused or failed alike).
 */
public class OperationTimers {

  static final String NAME = "sandbar.operation.duration";

  private final @Nullable MeterRegistry registry;

  /** {@code registry} null: nothing is recorded (an application without metrics). */
  public OperationTimers(@Nullable MeterRegistry registry) {
    this.registry = registry;
  }

  /** Runs {@code call} and records how long it took, under {@code operation}. */
  public <T> T time(String operation, Supplier<T> call) {
    long started = System.nanoTime();
    String outcome = "failed";
    try {
      T result = call.get();
      outcome = "ok";
      return result;
    } finally {
      record(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Records an operation measured elsewhere (a create, from its row's timestamps). */
  public void record(String operation, String outcome, Duration took) {
    if (registry == null || took.isNegative()) {
      return;
    }
    Timer.builder(NAME)
        .description("How long a sandbox operation took, as the API waited for it")
        .tags("operation", operation, "outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }
}
