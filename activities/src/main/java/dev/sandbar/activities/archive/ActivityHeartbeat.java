package dev.sandbar.activities.archive;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.function.LongConsumer;

/**
 * Reports bytes moved so far as the activity's heartbeat, at most once a second. Outside an
 * activity (a test calling the implementation directly) it does nothing, so the same code runs in
 * both. A heartbeat that finds the activity cancelled or timed out throws, which is what stops a
 * stale attempt from writing on.
 */
public final class ActivityHeartbeat implements LongConsumer {

  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final ActivityExecutionContext context;
  private long lastNanos;
  private boolean beaten;

  private ActivityHeartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  /** Must be called on the thread that runs the activity method, as Temporal requires. */
  public static ActivityHeartbeat ofCurrentActivity() {
    try {
      return new ActivityHeartbeat(Activity.getExecutionContext());
    } catch (IllegalStateException notInsideAnActivity) {
      return new ActivityHeartbeat(null);
    }
  }

  public boolean insideActivity() {
    return context != null;
  }

  @Override
  public void accept(long bytes) {
    if (context == null) {
      return;
    }
    long now = System.nanoTime();
    if (beaten && now - lastNanos < INTERVAL_NANOS) {
      return;
    }
    beaten = true;
    lastNanos = now;
    context.heartbeat(bytes);
  }
}
