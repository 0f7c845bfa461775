package dev.sandbar.api.exec;

import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.store.task.TaskRow;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The native exec operations, for another protocol that drives commands (E2B's in-sandbox daemon,
 * {@code dev.sandbar.api.e2b.envd}): the same validation, the same {@code ExecWorkflow} with its
 * wrapper and durability, the same stdin and kill paths. Every failure is the {@link
 * dev.sandbar.api.problem.ApiProblem} the native API would answer.
 */
@Service
public record CommandControl(
    CommandRunner commands,
    TaskService tasks,
    TaskStreamService streams,
    TaskStdinService stdin,
    SandbarApiProperties properties) {

  /** What to run: a shell string with its directory, environment and limit. */
  public record Launch(
      String command,
      @Nullable String cwd,
      Map<String, String> env,
      @Nullable Long timeoutSeconds,
      @Nullable String description,
      boolean stdin) {}

  /** The longest a background command may run, the default when a launch names no limit. */
  public long backgroundLimitSeconds() {
    return properties.execBackgroundLimitSeconds();
  }

  /**
   * Starts a background command and returns its task id once the task is recorded. Nothing waits on
   * it: a client follows it with {@link #follow}, and its end goes to no session.
   */
  public String startBackground(String tenantId, String sandboxId, Launch launch) {
    RunCommandRequest request =
        new RunCommandRequest(
            launch.command(),
            launch.cwd(),
            launch.env(),
            launch.timeoutSeconds(),
            null,
            launch.description(),
            true,
            null,
            launch.stdin());
    return commands.startStreamed(tenantId, sandboxId, request).taskId();
  }

  /** Streams the task's output from its first byte into {@code sink}, on the calling thread. */
  public void follow(String tenantId, String sandboxId, String taskId, TaskEventSink sink) {
    streams.followInto(tenantId, sandboxId, taskId, sink);
  }

  /** The task as recorded now; 404 when the tenant's sandbox has no such task. */
  public TaskRow task(String tenantId, String sandboxId, String taskId) {
    return tasks.requireTask(tenantId, sandboxId, taskId);
  }

  /** Writes bytes to the stdin of a command started with stdin. */
  public void writeStdin(String tenantId, String sandboxId, String taskId, byte[] data) {
    stdin.write(
        tenantId,
        sandboxId,
        taskId,
        new StdinRequest(Base64.getEncoder().encodeToString(data), "base64"));
  }

  /** Closes the stdin of a command started with stdin. */
  public void closeStdin(String tenantId, String sandboxId, String taskId) {
    stdin.close(tenantId, sandboxId, taskId);
  }

  /** Kills the command's process group (TERM, a grace, KILL); the task as recorded after. */
  public TaskRow kill(String tenantId, String sandboxId, String taskId) {
    return tasks.kill(tenantId, sandboxId, taskId);
  }
}
