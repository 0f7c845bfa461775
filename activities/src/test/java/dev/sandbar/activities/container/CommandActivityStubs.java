package dev.sandbar.activities.container;

import dev.sandbar.workflows.activity.CommandActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;

/** The command activities of a test environment, called once each: a retry would hide a fault. */
final class CommandActivityStubs {

  private CommandActivityStubs() {}

  static CommandActivities singleAttempt(
      TestActivityEnvironment environment, Duration startToClose, Duration heartbeat) {
    return environment.newActivityStub(
        CommandActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(startToClose)
            .setHeartbeatTimeout(heartbeat)
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }
}
