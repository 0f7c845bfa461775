package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.activity.TaskStreamActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ReadStreams;
import dev.sandbar.workflows.model.StartCommand;
import dev.sandbar.workflows.model.StreamsChunk;
import dev.sandbar.workflows.model.WriteStdin;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DockerTaskStreamActivities} against the real Docker daemon. */
@ExtendWith(DockerDaemonExtension.class)
class DockerTaskStreamActivitiesTest {

  private final DockerClient docker;
  private DockerCommandSandbox sandbox;
  private TestActivityEnvironment environment;
  private CommandActivities commands;
  private TaskStreamActivities streams;

  DockerTaskStreamActivitiesTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void setUp() {
    sandbox = DockerCommandSandbox.start(docker);
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new DockerCommandActivities(docker), new DockerTaskStreamActivities(docker));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    commands = environment.newActivityStub(CommandActivities.class, options);
    streams = environment.newActivityStub(TaskStreamActivities.class, options);
  }

  @AfterEach
  void tearDown() {
    environment.close();
    sandbox.close();
  }

  @Test
  void aRepeatedWriteIdWritesOnceAndCloseEndsTheCommand() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "cat; echo done >&2", null, Map.of(), true));

    streams.writeStdin(new WriteStdin(ref, "w1", base64("hello\n"), false));
    // A retried activity carries the same id: the input is not written again.
    streams.writeStdin(new WriteStdin(ref, "w1", base64("hello\n"), false));
    streams.writeStdin(new WriteStdin(ref, "w2", base64("world\n"), false));
    streams.writeStdin(new WriteStdin(ref, "c1", "", true));
    streams.writeStdin(new WriteStdin(ref, "c2", "", true));

    CommandOutcome outcome = commands.awaitCommand(new AwaitCommand(ref, 0, false, 65536));
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).isEqualTo("hello\nworld\n");
    assertThat(outcome.stderr()).isEqualTo("done\n");
    // The holder is gone with the command.
    assertThat(sandbox.sh("ps -o args | grep -c '[s]leep 2147483647'").stdout()).isEqualTo("0\n");
  }

  @Test
  void writesAreRefusedWithoutStdinAfterCloseAndAfterTheEnd() {
    CommandRef plain = newRef();
    commands.startCommand(new StartCommand(plain, "sleep 30", null, Map.of()));
    assertThatThrownBy(() -> streams.writeStdin(new WriteStdin(plain, "w", base64("x"), false)))
        .isInstanceOf(ActivityFailure.class)
        .rootCause()
        .hasMessageContaining("stdin: true");
    commands.killCommand(plain);

    CommandRef closed = newRef();
    commands.startCommand(new StartCommand(closed, "sleep 30", null, Map.of(), true));
    streams.writeStdin(new WriteStdin(closed, "c", "", true));
    assertThatThrownBy(() -> streams.writeStdin(new WriteStdin(closed, "w", base64("x"), false)))
        .isInstanceOf(ActivityFailure.class)
        .rootCause()
        .hasMessageContaining("closed");
    commands.killCommand(closed);
    commands.awaitCommand(new AwaitCommand(closed, 0, false, 65536));
    assertThatThrownBy(() -> streams.writeStdin(new WriteStdin(closed, "w2", base64("x"), false)))
        .isInstanceOf(ActivityFailure.class)
        .rootCause()
        .hasMessageContaining("ended");
  }

  @Test
  void readsEachStreamFromItsOwnOffsetAndReportsTheEnd() {
    CommandRef ref = newRef();
    commands.startCommand(
        new StartCommand(ref, "printf abcdef; printf XYZ >&2; exit 4", null, Map.of()));
    commands.awaitCommand(new AwaitCommand(ref, 0, false, 65536));

    StreamsChunk chunk = streams.readStreams(new ReadStreams(ref, 2, 1, 3, 0));
    assertThat(text(chunk.stdout())).isEqualTo("cde");
    assertThat(text(chunk.stderr())).isEqualTo("YZ");
    assertThat(chunk.stdoutNext()).isEqualTo(5);
    assertThat(chunk.stderrNext()).isEqualTo(3);
    assertThat(chunk.exitCode()).isEqualTo(4);
    assertThat(chunk.drained()).isFalse();

    StreamsChunk rest = streams.readStreams(new ReadStreams(ref, 5, 3, 100, 0));
    assertThat(text(rest.stdout())).isEqualTo("f");
    assertThat(rest.drained()).isTrue();

    StreamsChunk unknown = streams.readStreams(new ReadStreams(newRef(), 0, 0, 100, 0));
    assertThat(unknown.known()).isFalse();
  }

  @Test
  void aReadWaitsForOutputOfARunningCommand() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "sleep 1; echo late", null, Map.of()));

    StreamsChunk chunk = streams.readStreams(new ReadStreams(ref, 0, 0, 100, 5_000));
    assertThat(text(chunk.stdout())).isEqualTo("late\n");
  }

  private CommandRef newRef() {
    return new CommandRef(sandbox.sandboxId, "t-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
