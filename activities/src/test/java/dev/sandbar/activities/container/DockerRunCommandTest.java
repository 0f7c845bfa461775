package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.RunCommand;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DockerCommandActivities#runCommand}, the start and the wait in one exec, against the real
 * Docker daemon: it answers like {@code startCommand} followed by {@code awaitCommand}, and a retry
 * never runs the command twice.
 */
@ExtendWith(DockerDaemonExtension.class)
class DockerRunCommandTest {

  private static final int MAX_STREAM_BYTES = 256 * 1024;

  private final DockerClient docker;
  private DockerCommandSandbox sandbox;
  private TestActivityEnvironment environment;
  private CommandActivities commands;

  DockerRunCommandTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void setUp() {
    sandbox = DockerCommandSandbox.start(docker);
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(new DockerCommandActivities(docker));
    commands =
        CommandActivityStubs.singleAttempt(
            environment, Duration.ofMinutes(5), Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    environment.close();
    sandbox.close();
  }

  @Test
  void aShortCommandIsAnsweredWithItsExitCodeAndStreams() {
    CommandOutcome outcome = run(newRef(), "echo out; echo err >&2; exit 3", null, Map.of());

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.stdout()).isEqualTo("out\n");
    assertThat(outcome.stderr()).isEqualTo("err\n");
    assertThat(outcome.outputTail()).contains("out\n", "err\n");
    assertThat(outcome.outputBytes()).isEqualTo(8);
  }

  @Test
  void passesEnvironmentAndWorkingDirectory() {
    CommandOutcome outcome =
        run(newRef(), "echo \"$GREETING\"; pwd", "/tmp", Map.of("GREETING", "hello 'there' $x"));

    assertThat(outcome.stdout()).isEqualTo("hello 'there' $x\n/tmp\n");
  }

  @Test
  void aCommandThatOutlivesTheInContainerWaitIsWaitedForToItsEnd() {
    CommandOutcome outcome = run(newRef(), "sleep 1.5; echo late; exit 4", null, Map.of());

    assertThat(outcome.exitCode()).isEqualTo(4);
    assertThat(outcome.stdout()).isEqualTo("late\n");
  }

  @Test
  void aRetriedRunReattachesAndRunsTheCommandOnce() {
    CommandRef ref = newRef();

    CommandOutcome first = run(ref, "echo ran >> /tmp/runs.txt; echo once", null, Map.of());
    CommandOutcome again = run(ref, "echo ran >> /tmp/runs.txt; echo once", null, Map.of());

    assertThat(first.exitCode()).isZero();
    assertThat(again).isEqualTo(first);
    assertThat(sandbox.sh("cat /tmp/runs.txt").stdout()).isEqualTo("ran\n");
  }

  @Test
  void aRunAfterAnEarlierStartWaitsForThatStartsCommand() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "sleep 0.5; echo first", null, null));

    CommandOutcome outcome = run(ref, "echo second", null, Map.of());

    assertThat(outcome.stdout()).isEqualTo("first\n");
  }

  @Test
  void aBackgroundProcessLeftRunningDoesNotHoldTheAnswerBack() {
    CommandOutcome outcome = run(newRef(), "sleep 1000 & echo started; exit 7", null, Map.of());

    assertThat(outcome.exitCode()).isEqualTo(7);
    assertThat(outcome.stdout()).isEqualTo("started\n");
  }

  @Test
  void aKillThatOvertakesTheRunKeepsTheCommandFromRunning() {
    CommandRef ref = newRef();
    commands.killCommand(ref);

    CommandOutcome outcome = run(ref, "echo ran > /tmp/ran.txt", null, Map.of());

    assertThat(outcome.exitCode()).isEqualTo(137);
    assertThat(sandbox.sh("test -e /tmp/ran.txt").exitCode()).isEqualTo(1);
  }

  @Test
  void aRunInAMissingWorkingDirectoryIsRejected() {
    assertThatThrownBy(() -> run(newRef(), "true", "/no/such/dir", Map.of()))
        .satisfies(
            e ->
                assertThat(DockerCommandActivitiesTest.failureType(e))
                    .isEqualTo(ErrorType.INVALID_ARGUMENT.name()));
  }

  @Test
  void aRunInAStoppedSandboxFailsAsNotRunning() {
    sandbox.stop();

    assertThatThrownBy(() -> run(newRef(), "true", null, Map.of()))
        .satisfies(
            e ->
                assertThat(DockerCommandActivitiesTest.failureType(e))
                    .isEqualTo(ErrorType.SANDBOX_NOT_RUNNING.name()));
  }

  private CommandOutcome run(CommandRef ref, String command, String cwd, Map<String, String> env) {
    return commands.runCommand(
        new RunCommand(
            new StartCommand(ref, command, cwd, env),
            new AwaitCommand(ref, 0, false, MAX_STREAM_BYTES)));
  }

  private CommandRef newRef() {
    return new CommandRef(sandbox.sandboxId, "t-" + UUID.randomUUID().toString().substring(0, 8));
  }
}
