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
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.StartCommand;
import dev.sandbar.workflows.model.TaskFiles;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link DockerCommandActivities} against the real Docker daemon, in a real activity context. */
@ExtendWith(DockerDaemonExtension.class)
class DockerCommandActivitiesTest {

  private static final int MAX_STREAM_BYTES = 256 * 1024;

  private final DockerClient docker;
  private DockerCommandSandbox sandbox;
  private TestActivityEnvironment environment;
  private CommandActivities commands;

  DockerCommandActivitiesTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void setUp() {
    sandbox = DockerCommandSandbox.start(docker);
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(new DockerCommandActivities(docker));
    commands = stub(Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    environment.close();
    sandbox.close();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"true | 0", "exit 1 | 1", "kill -9 $$ | 137", "echo partial; exit 42 | 42"})
  void reportsTheCommandsExitCode(String command, int exitCode) {
    CommandOutcome outcome = run(command);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.exitCode()).isEqualTo(exitCode);
  }

  @Test
  void keepsStdoutAndStderrApart() {
    CommandOutcome outcome = run("echo out; echo err >&2; echo more");

    assertThat(outcome.stdout()).isEqualTo("out\nmore\n");
    assertThat(outcome.stderr()).isEqualTo("err\n");
    assertThat(outcome.outputTail()).contains("out\n", "err\n", "more\n");
    assertThat(outcome.outputBytes()).isEqualTo(13);
    assertThat(outcome.truncated()).isFalse();
  }

  @Test
  void containerCreatedBeforeTheHelperStillRunsCommandsUnderItsOwnShell() {
    try (DockerCommandSandbox old = DockerCommandSandbox.start(docker, false)) {
      CommandRef ref =
          new CommandRef(old.sandboxId, "t-" + UUID.randomUUID().toString().substring(0, 8));
      commands.startCommand(new StartCommand(ref, "echo out; echo err >&2; exit 3", null, null));
      CommandOutcome outcome = await(ref, 0, false);

      assertThat(outcome.exitCode()).isEqualTo(3);
      assertThat(outcome.stdout()).isEqualTo("out\n");
      assertThat(outcome.stderr()).isEqualTo("err\n");
      assertThat(old.sh("ls -d /.sandbar/bin 2>&1").stdout()).contains("No such file");
    }
  }

  @Test
  void prunedTasksLoseTheirDirectoriesWhileTheContainerRuns() {
    CommandRef ref = newRef();
    CommandRef other = newRef();
    run(ref, "echo bye", 0, false);
    run(other, "echo stays", 0, false);
    DockerTaskFileActivities files = new DockerTaskFileActivities(docker);

    assertThat(
            files.removeTaskFiles(new TaskFiles(sandbox.sandboxId, List.of(ref.taskId(), "../.."))))
        .isTrue();
    assertThat(sandbox.sh("ls /.sandbar/tasks").stdout())
        .doesNotContain(ref.taskId())
        .contains(other.taskId());
    assertThat(files.removeTaskFiles(new TaskFiles(sandbox.sandboxId, List.of(ref.taskId()))))
        .isTrue();

    sandbox.stop();
    assertThat(files.removeTaskFiles(new TaskFiles(sandbox.sandboxId, List.of(other.taskId()))))
        .isFalse();
    sandbox.close();
    assertThat(files.removeTaskFiles(new TaskFiles(sandbox.sandboxId, List.of(other.taskId()))))
        .isTrue();
  }

  @Test
  void unicodeOutputSurvives() {
    CommandOutcome outcome = run("printf 'héllo ✓'");

    assertThat(outcome.stdout()).isEqualTo("héllo ✓");
    assertThat(outcome.outputTail()).isEqualTo("héllo ✓");
    assertThat(outcome.outputBytes()).isEqualTo("héllo ✓".getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void binaryOutputSurvivesByteForByte() {
    CommandRef ref = newRef();
    CommandOutcome outcome = run(ref, "head -c 256 /dev/urandom | tee /tmp/random.bin", 0, false);
    byte[] written =
        HexFormat.of().parseHex(sandbox.sh("xxd -p /tmp/random.bin | tr -d '\\n'").stdout());

    assertThat(written).hasSize(256);
    assertThat(outcome.outputBytes()).isEqualTo(256);
    assertThat(outcome.stdout()).isEqualTo(new String(written, StandardCharsets.UTF_8));
    OutputChunk chunk = commands.readOutput(new ReadOutput(ref, 0, 4096));
    assertThat(Base64.getDecoder().decode(chunk.data())).isEqualTo(written);
  }

  @Test
  void runsShellSyntaxExactlyAsAShellWould() {
    String command =
        """
        a='single "quoted" $HOME'; b="double $(echo sub; echo shell)"
        echo "$a"; echo "$b"
        printf '%s\\n' "semi;colon" 'it'"'"'s' `echo backticks`
        for i in 1 2; do echo "line $i"; done; echo $((6 * 7)) && false || echo fallback
        """;

    CommandOutcome outcome = run(command);

    assertThat(outcome.stdout())
        .isEqualTo(
            """
            single "quoted" $HOME
            double sub
            shell
            semi;colon
            it's
            backticks
            line 1
            line 2
            42
            fallback
            """);
    assertThat(outcome.stdout()).isEqualTo(sandbox.sh(command).stdout());
  }

  @Test
  void passesEnvironmentAndWorkingDirectory() {
    CommandRef ref = newRef();
    commands.startCommand(
        new StartCommand(
            ref, "echo \"$GREETING\"; pwd", "/tmp", Map.of("GREETING", "hello 'there' $x")));

    CommandOutcome outcome = await(ref, 0, false);

    assertThat(outcome.stdout()).isEqualTo("hello 'there' $x\n/tmp\n");
  }

  @Test
  void retriedStartRunsTheCommandOnce() {
    CommandRef ref = newRef();
    StartCommand start = new StartCommand(ref, "echo ran >> /tmp/runs.txt", null, Map.of());

    commands.startCommand(start);
    commands.startCommand(start);
    CommandOutcome first = await(ref, 0, false);
    commands.startCommand(start);

    assertThat(first.exitCode()).isZero();
    assertThat(sandbox.sh("cat /tmp/runs.txt").stdout()).isEqualTo("ran\n");
  }

  @Test
  void waitingAgainOnAFinishedCommandReattachesToTheSameResult() {
    CommandRef ref = newRef();
    CommandOutcome first = run(ref, "echo once; exit 3", 0, false);

    CommandOutcome again = await(ref, 0, false);

    assertThat(first.exitCode()).isEqualTo(3);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void capsStreamsAndSaysSo() {
    CommandRef ref = newRef();
    commands.startCommand(
        new StartCommand(ref, "printf 'aé%.0s' $(seq 100); echo e >&2", null, null));

    CommandOutcome outcome = commands.awaitCommand(new AwaitCommand(ref, 0, false, 5));

    // "aéaé" is 6 bytes; the cut at 5 falls inside the second "é" and drops it whole.
    assertThat(outcome.stdout()).isEqualTo("aéa");
    assertThat(outcome.stderr()).isEqualTo("e\n");
    assertThat(outcome.truncated()).isTrue();
    assertThat(outcome.outputBytes()).isEqualTo(302);
  }

  /**
   * The stream cap holds for the payload, not only for the bytes read: 256 KiB of NUL bytes would
   * be 1.5 MiB of JSON escapes.
   */
  @Test
  void nulBytesOnBothStreamsStayUnderThePayloadCapOnceEncoded() {
    int bytes = 600 * 1024;
    CommandOutcome outcome =
        run("head -c " + bytes + " /dev/zero; head -c " + bytes + " /dev/zero >&2; exit 3");

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.truncated()).isTrue();
    assertThat(outcome.outputBytes()).isEqualTo(2L * bytes);
    assertThat(outcome.stdout()).isNotEmpty().matches("\\x00+");
    int payload =
        DefaultDataConverter.newDefaultInstance()
            .toPayload(outcome)
            .orElseThrow()
            .getSerializedSize();
    assertThat(payload).isLessThanOrEqualTo(2 * MAX_STREAM_BYTES + 16 * 1024);
  }

  @Test
  void killTakesTheWholeProcessGroupDown() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "sh -c 'sleep 1000 & sleep 1000'", null, null));
    String pgid = sandbox.sh("cat " + ref.taskDir() + "/pid").stdout().trim();
    assertThat(processesOfGroup(pgid)).isNotEmpty();

    commands.killCommand(ref);

    assertThat(processesOfGroup(pgid)).isEmpty();
    commands.killCommand(ref);
    CommandOutcome outcome = await(ref, 0, false);
    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.exitCode()).isEqualTo(128 + 15);
  }

  @Test
  void killingAFinishedCommandIsANoOp() {
    CommandRef ref = newRef();
    run(ref, "exit 5", 0, false);

    commands.killCommand(ref);

    assertThat(await(ref, 0, false).exitCode()).isEqualTo(5);
  }

  @Test
  void killThatOvertakesItsStartKeepsTheCommandFromRunning() {
    CommandRef ref = newRef();

    commands.killCommand(ref);
    commands.startCommand(new StartCommand(ref, "echo ran > /tmp/ran.txt", null, null));
    CommandOutcome outcome = await(ref, 0, false);

    assertThat(outcome.exitCode()).isEqualTo(137);
    assertThat(outcome.stderr()).contains("killed before it started");
    assertThat(sandbox.sh("test -e /tmp/ran.txt").exitCode()).isEqualTo(1);
  }

  @Test
  void backgroundProcessLeftRunningDoesNotHoldTheExitCodeBack() {
    CommandRef ref = newRef();

    CommandOutcome outcome = run(ref, "sleep 1000 & echo started; exit 7", 0, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.exitCode()).isEqualTo(7);
    assertThat(outcome.stdout()).isEqualTo("started\n");
    String pgid = sandbox.sh("cat " + ref.taskDir() + "/pid").stdout().trim();
    assertThat(processesOfGroup(pgid)).singleElement().asString().contains("sleep 1000");
  }

  @Test
  void commandOfARestartedSandboxHasVanished() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "sleep 1000", null, null));
    docker.restartContainerCmd(sandbox.containerName).withTimeout(1).exec();

    CommandOutcome outcome = await(ref, 0, false);
    commands.killCommand(ref);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.VANISHED);
    assertThat(sandbox.sh("cat " + ref.taskDir() + "/boot").stdout())
        .isNotEqualTo(
            sandbox.sh("read -r l < /proc/1/stat; set -- ${l##*) }; echo ${20}").stdout());
  }

  @Test
  void cancellingTheWaitKillsTheProcessGroup() throws Exception {
    CommandActivities quickHeartbeats = stub(Duration.ofSeconds(1));
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "sleep 1000 & sleep 1000", null, null));
    String pgid = sandbox.sh("cat " + ref.taskDir() + "/pid").stdout().trim();
    CountDownLatch heartbeating = new CountDownLatch(1);
    environment.setActivityHeartbeatListener(
        WaitProgress.class, progress -> heartbeating.countDown());

    CompletableFuture<CommandOutcome> waiting =
        CompletableFuture.supplyAsync(
            () -> quickHeartbeats.awaitCommand(new AwaitCommand(ref, 0, false, MAX_STREAM_BYTES)));
    assertThat(heartbeating.await(2, TimeUnit.MINUTES)).as("first heartbeat").isTrue();
    assertThat(processesOfGroup(pgid)).isNotEmpty();
    environment.requestCancelActivity();

    assertThatThrownBy(() -> waiting.get(2, TimeUnit.MINUTES))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(CanceledFailure.class);
    assertThat(processesOfGroup(pgid)).isEmpty();
  }

  @Test
  void silentStdinReadIsReportedAsStalled() {
    CommandOutcome outcome = run("read x", 2, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.STALLED);
    assertThat(outcome.exitCode()).isNull();
  }

  @Test
  void stallAlreadyReportedIsNotReportedAgain() {
    // read -t ends the command after 6 s; a second stall report would come after 2.
    CommandOutcome outcome = run("read -t 6 x; echo gave up", 2, true);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.stdout()).isEqualTo("gave up\n");
  }

  @Test
  void passwordPromptIsReportedAsStalled() {
    CommandOutcome outcome = run("printf 'Password: '; read x", 2, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.STALLED);
    assertThat(outcome.outputTail()).isEqualTo("Password: ");
    assertThat(outcome.outputBytes()).isEqualTo(10);
  }

  @Test
  void silentSleepIsNotAStall() {
    CommandOutcome outcome = run("echo working; sleep 4; echo done", 1, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.EXITED);
    assertThat(outcome.stdout()).isEqualTo("working\ndone\n");
  }

  @Test
  void retriedWaitContinuesStallTrackingFromItsHeartbeat() {
    // The previous attempt saw no output for two hours: a stall threshold of an hour is already
    // passed. Were the heartbeat ignored, the wait would start the hour over and see the exit.
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "read -t 20 x", null, null));
    environment.setHeartbeatDetails(
        new WaitProgress(0, System.currentTimeMillis() - Duration.ofHours(2).toMillis()));

    CommandOutcome outcome = await(ref, 3600, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.STALLED);
  }

  @Test
  void readsTheLogInSlices() {
    CommandRef ref = newRef();
    // One stream only: the order of stdout and stderr in the combined log is not defined.
    run(ref, "printf abcdefghij", 0, false);

    OutputChunk first = commands.readOutput(new ReadOutput(ref, 0, 4));
    OutputChunk rest = commands.readOutput(new ReadOutput(ref, first.nextOffset(), 100));
    OutputChunk atEnd = commands.readOutput(new ReadOutput(ref, 10, 100));
    OutputChunk pastEnd = commands.readOutput(new ReadOutput(ref, 50, 100));

    assertThat(decode(first)).isEqualTo("abcd");
    assertThat(first.offset()).isZero();
    assertThat(first.nextOffset()).isEqualTo(4);
    assertThat(first.totalBytes()).isEqualTo(10);
    assertThat(decode(rest)).isEqualTo("efghij");
    assertThat(rest.nextOffset()).isEqualTo(10);
    assertThat(decode(atEnd)).isEmpty();
    assertThat(atEnd.nextOffset()).isEqualTo(10);
    assertThat(decode(pastEnd)).isEmpty();
    assertThat(pastEnd.totalBytes()).isEqualTo(10);
  }

  @Test
  void finishedCommandIsStillReadableAfterTheSandboxStops() {
    CommandRef ref = newRef();
    CommandOutcome before = run(ref, "echo kept; echo also; echo err >&2; exit 4", 0, false);
    sandbox.stop();

    CommandOutcome after = await(ref, 0, false);
    OutputChunk whole = commands.readOutput(new ReadOutput(ref, 0, 100));
    OutputChunk slice = commands.readOutput(new ReadOutput(ref, 4, 3));

    assertThat(after).isEqualTo(before);
    assertThat(before.stdout()).isEqualTo("kept\nalso\n");
    assertThat(before.stderr()).isEqualTo("err\n");
    // stdout and stderr reach the log through two pipes: their order against each other is not
    // kept, only each one's own.
    assertThat(decode(whole)).hasSize(14).contains("kept\n", "also\n", "err\n");
    assertThat(decode(slice)).isEqualTo(decode(whole).substring(4, 7));
    assertThat(slice.nextOffset()).isEqualTo(7);
    assertThat(slice.totalBytes()).isEqualTo(14);
  }

  @Test
  void commandStoppedWithItsSandboxHasVanished() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "echo started; sleep 1000", null, null));
    sandbox.stop();

    CommandOutcome outcome = await(ref, 0, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.VANISHED);
    assertThat(outcome.exitCode()).isNull();
  }

  @Test
  void commandKilledFromOutsideHasVanished() {
    CommandRef ref = newRef();
    commands.startCommand(new StartCommand(ref, "sleep 1000", null, null));
    // An operator kills the wrapper and the command alike: nobody is left to write the exit code.
    sandbox.sh("kill -9 $(cat " + ref.taskDir() + "/wrapper) -$(cat " + ref.taskDir() + "/pid)");

    CommandOutcome outcome = await(ref, 0, false);

    assertThat(outcome.state()).isEqualTo(CommandOutcome.State.VANISHED);
  }

  @Test
  void startInAStoppedSandboxFailsAsNotRunning() {
    sandbox.stop();

    assertThatThrownBy(() -> commands.startCommand(new StartCommand(newRef(), "true", null, null)))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(ErrorType.SANDBOX_NOT_RUNNING.name()));
  }

  @Test
  void startInAMissingContainerFailsAsGone() {
    CommandRef ref = new CommandRef("no-such-" + UUID.randomUUID(), "t1");

    assertThatThrownBy(() -> commands.startCommand(new StartCommand(ref, "true", null, null)))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(ErrorType.CONTAINER_GONE.name()));
  }

  @Test
  void startInAMissingWorkingDirectoryIsRejected() {
    assertThatThrownBy(
            () -> commands.startCommand(new StartCommand(newRef(), "true", "/no/such/dir", null)))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(ErrorType.INVALID_ARGUMENT.name()));
  }

  @Test
  void taskIdThatIsNotAPlainNameIsRejected() {
    CommandRef ref = new CommandRef(sandbox.sandboxId, "../escape");

    assertThatThrownBy(() -> commands.startCommand(new StartCommand(ref, "true", null, null)))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(ErrorType.INVALID_ARGUMENT.name()));
  }

  // ---- helpers ----

  private CommandActivities stub(Duration heartbeatTimeout) {
    return CommandActivityStubs.singleAttempt(environment, Duration.ofMinutes(5), heartbeatTimeout);
  }

  private CommandRef newRef() {
    return new CommandRef(sandbox.sandboxId, "t-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private CommandOutcome run(String command) {
    return run(newRef(), command, 0, false);
  }

  private CommandOutcome run(String command, long stallSeconds, boolean stallReported) {
    return run(newRef(), command, stallSeconds, stallReported);
  }

  private CommandOutcome run(
      CommandRef ref, String command, long stallSeconds, boolean stallReported) {
    commands.startCommand(new StartCommand(ref, command, null, Map.of()));
    return await(ref, stallSeconds, stallReported);
  }

  private CommandOutcome await(CommandRef ref, long stallSeconds, boolean stallReported) {
    return commands.awaitCommand(
        new AwaitCommand(ref, stallSeconds, stallReported, MAX_STREAM_BYTES));
  }

  /**
   * Live processes of the group as {@code ps} in the container lists them. Zombies are dead
   * already; the init may take a moment to reap them.
   */
  private List<String> processesOfGroup(String pgid) {
    assertThat(pgid).matches("[0-9]+");
    return sandbox
        .sh("ps -o pgid,pid,stat,args")
        .stdout()
        .lines()
        .skip(1)
        .map(line -> line.trim().split("\\s+", 4))
        .filter(fields -> fields[0].equals(pgid) && !fields[2].startsWith("Z"))
        .map(fields -> String.join(" ", fields))
        .toList();
  }

  private static String decode(OutputChunk chunk) {
    return new String(Base64.getDecoder().decode(chunk.data()), StandardCharsets.UTF_8);
  }

  static String failureType(Throwable e) {
    assertThat(e).isInstanceOf(ActivityFailure.class);
    assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertThat(failure.isNonRetryable()).isTrue();
    return failure.getType();
  }
}
