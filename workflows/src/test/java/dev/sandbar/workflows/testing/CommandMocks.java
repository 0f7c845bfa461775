package dev.sandbar.workflows.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.RunCommand;
import io.temporal.activity.Activity;

/** Set-ups shared by the tests that mock {@link CommandActivities}. */
public final class CommandMocks {

  private CommandMocks() {}

  /**
   * Makes the mock's {@code runCommand} behave as its contract says, in terms of the mock's own
   * {@code startCommand} and {@code awaitCommand}: the first attempt starts and waits, a retry only
   * waits (the real wrapper's guard makes its start a no-op). Tests then stub and verify the start
   * and the wait whichever way the workflow asked for them.
   */
  public static void runThroughStartAndAwait(CommandActivities commands) {
    doAnswer(
            invocation -> {
              RunCommand run = invocation.getArgument(0);
              if (Activity.getExecutionContext().getInfo().getAttempt() == 1) {
                commands.startCommand(run.start());
              }
              return commands.awaitCommand(run.await());
            })
        .when(commands)
        .runCommand(any());
  }
}
