package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.workflows.activity.TaskStreamActivities;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ReadStreams;
import dev.sandbar.workflows.model.StreamsChunk;
import dev.sandbar.workflows.model.WriteStdin;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * {@link TaskStreamActivities} against one Docker daemon: each call is one short exec of a trusted
 * script ({@code streams.sh}, {@code stdin.sh}) over the files the wrapper keeps in the task's
 * directory, so no Docker stream is held between calls and a dead worker loses nothing.
 */
public class DockerTaskStreamActivities implements TaskStreamActivities {

  /** Largest slice of each stream one read returns: far below Temporal's payload limit. */
  public static final int MAX_READ_BYTES = 256 * 1024;

  /** Longest in-container wait of one read: well inside {@link BoundedRead}'s time limit. */
  public static final long MAX_WAIT_MILLIS = 5_000;

  /**
   * Largest write: its Base64 travels as one argument of the exec, and Linux caps one argument at
   * 128 KiB.
   */
  public static final int MAX_STDIN_BYTES = 64 * 1024;

  private static final Pattern WRITE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final DockerExec exec;

  public DockerTaskStreamActivities(DockerClient docker) {
    this.exec = new DockerExec(docker);
  }

  @Override
  public StreamsChunk readStreams(ReadStreams request) {
    CommandRef ref = checked(request.ref());
    if (request.stdoutOffset() < 0 || request.stderrOffset() < 0) {
      throw DockerFailures.invalid("stream offsets must not be negative");
    }
    int limit = Math.max(1, Math.min(request.limit(), MAX_READ_BYTES));
    long polls = Math.max(0, Math.min(request.waitMillis(), MAX_WAIT_MILLIS)) / 100;
    String container = new ContainerRef(ref.sandboxId()).containerName();
    DockerExec.Result out;
    try {
      out =
          exec.run(
              container,
              DockerExec.HEADER_BYTES + 2L * limit,
              ContainerScripts.STREAMS,
              ref.taskDir(),
              Long.toString(request.stdoutOffset()),
              Long.toString(request.stderrOffset()),
              Integer.toString(limit),
              Long.toString(polls));
    } catch (ContainerUnavailable e) {
      throw e.toFailure(container);
    }
    ScriptOutput header = ScriptOutput.parse(out.stdout(), 7);
    long stdoutBytes = header.number(3);
    long stderrBytes = header.number(4);
    byte[] body = header.rest(out.stdout());
    if (body.length != stdoutBytes + stderrBytes) {
      throw DockerFailures.transientFailure(
          "reading the streams of task " + ref.taskId() + " returned a short answer", null);
    }
    Base64.Encoder base64 = Base64.getEncoder();
    String exit = header.field(0);
    return new StreamsChunk(
        base64.encodeToString(Arrays.copyOfRange(body, 0, (int) stdoutBytes)),
        base64.encodeToString(Arrays.copyOfRange(body, (int) stdoutBytes, body.length)),
        request.stdoutOffset() + stdoutBytes,
        request.stderrOffset() + stderrBytes,
        header.number(1),
        header.number(2),
        exit.equals("-") ? null : (int) header.number(0),
        header.flag(5),
        header.flag(6));
  }

  @Override
  public void writeStdin(WriteStdin request) {
    CommandRef ref = checked(request.ref());
    if (request.writeId() == null || !WRITE_ID.matcher(request.writeId()).matches()) {
      throw DockerFailures.invalid("invalid write id: " + request.writeId());
    }
    String data = request.data() == null ? "" : request.data();
    if (data.length() > (MAX_STDIN_BYTES + 2) / 3 * 4) {
      throw DockerFailures.invalid("a stdin write holds at most " + MAX_STDIN_BYTES + " bytes");
    }
    String container = new ContainerRef(ref.sandboxId()).containerName();
    DockerExec.Result out;
    try {
      out =
          exec.run(
              container,
              DockerExec.HEADER_BYTES,
              ContainerScripts.STDIN,
              ref.taskDir(),
              request.writeId(),
              request.close() ? "close" : "write",
              data);
    } catch (ContainerUnavailable e) {
      throw e.toFailure(container);
    }
    String answer = out.stdoutText().trim();
    switch (answer) {
      case "ok" -> {}
      case "notstarted" ->
          throw DockerFailures.transientFailure(
              "task " + ref.taskId() + " has not started yet; its stdin is written once it has",
              null);
      case "nostdin" ->
          throw DockerFailures.permanent(
              ErrorType.INVALID_STATE,
              "task " + ref.taskId() + " was started without stdin: true; its stdin is not open");
      case "ended" ->
          throw DockerFailures.permanent(
              ErrorType.INVALID_STATE, "task " + ref.taskId() + " has ended");
      case "closed" ->
          throw DockerFailures.permanent(
              ErrorType.INVALID_STATE, "the stdin of task " + ref.taskId() + " is closed");
      default ->
          throw DockerFailures.transientFailure(
              "writing the stdin of task "
                  + ref.taskId()
                  + " failed (exit "
                  + out.exitCode()
                  + "): "
                  + out.stderrText(),
              null);
    }
  }

  private static CommandRef checked(CommandRef ref) {
    DockerCommandActivities.checkRef(ref);
    return ref;
  }
}
