package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sandbox that replaced {@code sh}, {@code head}, {@code tail} and {@code cat} with programs that
 * print for ever, and one that prints 400 MB: against the real Docker daemon and the real command
 * activities, the worker's heap stays bounded, the stored output stays under its cap, and other
 * sandboxes keep working.
 */
@ExtendWith(DockerDaemonExtension.class)
class HostileSandboxTest {

  /** Replaces the programs with scripts the kernel runs as {@code busybox yes <script> <args>}. */
  private static final String POISON =
      """
      for f in sh head tail cat; do
        /bin/busybox rm -f /bin/$f
        echo '#!/bin/busybox yes' > /bin/$f
        /bin/busybox chmod 755 /bin/$f
      done
      """;

  /** Far more than any bounded read keeps, far less than an unbounded one would collect. */
  private static final long HEAP_GROWTH_LIMIT = 256L * 1024 * 1024;

  private static final TaskOutputCap CAP = new TaskOutputCap(8L * 1024 * 1024);

  private final DockerClient docker;
  private TestActivityEnvironment environment;
  private CommandActivities commands;

  HostileSandboxTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void setUp() {
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(new DockerCommandActivities(docker, CAP));
    setCommandsStub();
  }

  @AfterEach
  void tearDown() {
    environment.close();
  }

  @Test
  void poisonedSandboxWithTheHelperIsStillWatchedKilledAndReadThroughIt() {
    try (DockerCommandSandbox hostile = DockerCommandSandbox.start(docker, true);
        DockerCommandSandbox other = DockerCommandSandbox.start(docker, true)) {
      poison(hostile);
      CommandRef ref = ref(hostile);
      long peakBefore = resetHeapPeak();

      // The command itself runs under the sandbox's sh (it is the user's code), so it prints for
      // ever too: everything Sandbar does around it goes through the trusted helper.
      commands.startCommand(new StartCommand(ref, "echo hi", null, Map.of()));
      OutputChunk chunk = awaitLogAtCap(ref);
      commands.killCommand(ref);
      CommandOutcome outcome = commands.awaitCommand(new AwaitCommand(ref, 0, false, 256 * 1024));

      assertThat(chunk.totalBytes()).isEqualTo(CAP.logBytes());
      assertThat(new String(Base64.getDecoder().decode(chunk.data()))).startsWith("/bin/sh -c");
      assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
      assertThat(outcome.truncated()).isTrue();
      assertThat(outcome.stdout()).hasSizeLessThanOrEqualTo(256 * 1024);
      assertThat(storedBytes(hostile, ref)).isLessThanOrEqualTo(CAP.totalBytes());
      assertThat(heapPeak() - peakBefore).isLessThan(HEAP_GROWTH_LIMIT);
      assertWorks(other);
    }
  }

  @Test
  void poisonedSandboxWithoutTheHelperFailsItsReadsWithTheLimitAndNoOneElseNotices() {
    try (DockerCommandSandbox hostile = DockerCommandSandbox.start(docker, false);
        DockerCommandSandbox other = DockerCommandSandbox.start(docker, true)) {
      CommandRef ref = ref(hostile);
      commands.startCommand(new StartCommand(ref, "sleep 600", null, Map.of()));
      poison(hostile);
      long peakBefore = resetHeapPeak();

      // A container created before the helper runs Sandbar's scripts under its own sh: the
      // endless answer is cut at the read's limit, and the call fails for good.
      ActivityFailure read =
          catchThrowableOfType(
              ActivityFailure.class, () -> commands.readOutput(new ReadOutput(ref, 0, 1024)));
      ActivityFailure await =
          catchThrowableOfType(
              ActivityFailure.class,
              () -> commands.awaitCommand(new AwaitCommand(ref, 0, false, 1024)));

      for (ActivityFailure failure : List.of(read, await)) {
        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertThat(cause.getType()).isEqualTo(ErrorType.CONTAINER_READ_LIMIT.name());
        assertThat(cause.isNonRetryable()).isTrue();
        assertThat(cause.getOriginalMessage()).contains("answered more than");
      }
      assertThat(heapPeak() - peakBefore).isLessThan(HEAP_GROWTH_LIMIT);
      assertWorks(other);
    }
  }

  @Test
  void commandPrinting400MegabytesLeavesAtMostTheCapOnDisk() {
    try (DockerCommandSandbox sandbox = DockerCommandSandbox.start(docker, true)) {
      environment.close();
      environment = TestActivityEnvironment.newInstance();
      environment.registerActivitiesImplementations(new DockerCommandActivities(docker));
      setCommandsStub();
      CommandRef ref = ref(sandbox);

      commands.startCommand(
          new StartCommand(
              ref, "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 400000000", null, null));
      CommandOutcome outcome = commands.awaitCommand(new AwaitCommand(ref, 0, false, 256 * 1024));

      TaskOutputCap defaults = TaskOutputCap.defaults();
      assertThat(outcome.exitCode()).isZero();
      assertThat(outcome.truncated()).isTrue();
      assertThat(outcome.outputBytes()).isEqualTo(defaults.logBytes());
      assertThat(storedBytes(sandbox, ref)).isLessThanOrEqualTo(defaults.totalBytes());
      assertThat(storedBytes(sandbox, ref)).isGreaterThan(defaults.logBytes());
    }
  }

  private void setCommandsStub() {
    commands =
        CommandActivityStubs.singleAttempt(
            environment, Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  private void poison(DockerCommandSandbox sandbox) {
    DockerTestSupport.ExecResult result =
        DockerTestSupport.exec(docker, sandbox.containerName, "/bin/busybox", "sh", "-c", POISON);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    // Seen through the helper: reading the sandbox's sh with its own cat would never end.
    assertThat(
            DockerTestSupport.exec(
                    docker, sandbox.containerName, "/bin/busybox", "head", "-c", "100", "/bin/sh")
                .stdout())
        .isEqualTo("#!/bin/busybox yes\n");
  }

  /** Reads the log's first MiB once it has stopped growing at the cap. */
  private OutputChunk awaitLogAtCap(CommandRef ref) {
    for (int i = 0; i < 600; i++) {
      OutputChunk chunk = commands.readOutput(new ReadOutput(ref, 0, 1024 * 1024));
      if (chunk.totalBytes() >= CAP.logBytes()) {
        return chunk;
      }
      DockerExec.pause(100);
    }
    throw new AssertionError("the log never reached its cap");
  }

  /** Bytes of the task's files, as the trusted helper sees them. */
  private long storedBytes(DockerCommandSandbox sandbox, CommandRef ref) {
    DockerTestSupport.ExecResult sizes =
        DockerTestSupport.exec(
            docker,
            sandbox.containerName,
            TrustedHelper.CONTAINER_PATH,
            "sh",
            "-c",
            "cd \"$1\" && /.sandbar/bin/busybox stat -c %s stdout stderr output.log",
            "sizes",
            ref.taskDir());
    return sizes.stdout().lines().mapToLong(Long::parseLong).sum();
  }

  private void assertWorks(DockerCommandSandbox sandbox) {
    CommandRef ref = ref(sandbox);
    commands.startCommand(new StartCommand(ref, "echo fine", null, Map.of()));
    CommandOutcome outcome = commands.awaitCommand(new AwaitCommand(ref, 0, false, 1024));
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).isEqualTo("fine\n");
  }

  private static CommandRef ref(DockerCommandSandbox sandbox) {
    return new CommandRef(sandbox.sandboxId, "t-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Resets the heap pools' peaks after a collection; returns the heap in use then. */
  private static long resetHeapPeak() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : heapPools()) {
      pool.resetPeakUsage();
      used += pool.getUsage().getUsed();
    }
    return used;
  }

  /** The largest the heap has been since {@link #resetHeapPeak}, summed over its pools. */
  private static long heapPeak() {
    return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isValid())
        .toList();
  }
}
