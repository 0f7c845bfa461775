package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.exec.CommandControl;
import dev.sandbar.store.e2b.E2bProcessDao;
import dev.sandbar.store.e2b.E2bProcessRow;
import dev.sandbar.store.task.TaskRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * envd's {@code process.Process} calls on Sandbar's exec: every process is a background task of the
 * sandbox ({@link CommandControl}: the same wrapper, workflow and durability as {@code POST
 * .../exec}), named by a pid from {@code e2b_processes}. Start follows the new task's output;
 * Connect follows a task's output again from its first byte; stdin, close and signals go through
 * the native stdin and kill paths.
 */
@Service
class EnvdProcesses {

  /** A stdin write's bytes travel in one exec argument; larger inputs go in pieces of this size. */
  static final int STDIN_PIECE_BYTES = 64 * 1024;

  private final CommandControl commands;
  private final E2bProcessDao processes;
  private final JsonMapper json;

  EnvdProcesses(CommandControl commands, Jdbi jdbi, JsonMapper json) {
    this.commands = commands;
    this.processes = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(E2bProcessDao.class);
    this.json = json;
  }

  /**
   * Starts the process as a background task and streams it. Its limit is the call's {@code
   * Connect-Timeout-Ms} (the SDK's {@code timeoutMs}, 60 s unless set; 0 sends none), as E2B ends a
   * command whose call times out; without one, the background limit.
   */
  void start(EnvdCaller caller, JsonNode request, @Nullable Long timeoutMs, ConnectStream stream)
      throws IOException {
    if (ProtoJson.present(request, "pty")) {
      throw ConnectException.unimplemented(
          "process.Process/Start with a pty", "terminals are not served; run without pty");
    }
    JsonNode config = request.path("process");
    String cmd = ProtoJson.string(config, "cmd", "");
    List<String> args = ProtoJson.strings(config, "args");
    String cwd = ProtoJson.optionalString(config, "cwd");
    String tag = ProtoJson.optionalString(request, "tag");
    boolean stdin = !ProtoJson.present(request, "stdin") || request.path("stdin").asBoolean();
    String command = ProcessCommandLine.of(cmd, args);
    String taskId =
        commands.startBackground(
            caller.tenantId(),
            caller.sandboxId(),
            new CommandControl.Launch(
                command,
                cwd == null || cwd.isEmpty() ? null : cwd,
                ProtoJson.stringMap(config, "envs"),
                timeoutSeconds(timeoutMs),
                "e2b process",
                stdin));
    int pid =
        processes.insert(
            caller.tenantId(),
            caller.sandboxId(),
            taskId,
            cmd,
            json.writeValueAsString(args),
            cwd,
            tag);
    commands.follow(
        caller.tenantId(), caller.sandboxId(), taskId, new ProcessEventFrames(stream, pid));
  }

  /** Follows a process's output from its first byte, a running one until it ends. */
  void connect(EnvdCaller caller, JsonNode request, ConnectStream stream) throws IOException {
    E2bProcessRow process = select(caller, request.path("process"), false);
    commands.follow(
        caller.tenantId(),
        caller.sandboxId(),
        process.taskId(),
        new ProcessEventFrames(stream, process.pid()));
  }

  Map<String, Object> list(EnvdCaller caller) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (E2bProcessRow row : processes.running(caller.tenantId(), caller.sandboxId())) {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("cmd", row.cmd());
      config.put("args", json.readValue(row.argsJson(), String[].class));
      config.put("envs", Map.of());
      if (row.cwd() != null) {
        config.put("cwd", row.cwd());
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("config", config);
      info.put("pid", row.pid());
      if (row.tag() != null) {
        info.put("tag", row.tag());
      }
      list.add(info);
    }
    return Map.of("processes", list);
  }

  Map<String, Object> sendInput(EnvdCaller caller, JsonNode request) {
    E2bProcessRow process = select(caller, request.path("process"), true);
    JsonNode input = request.path("input");
    if (ProtoJson.present(input, "pty")) {
      throw ConnectException.unimplemented(
          "process.Process/SendInput to a pty", "terminals are not served");
    }
    byte[] data = ProtoJson.bytes(input, "stdin");
    for (int from = 0; from < data.length; from += STDIN_PIECE_BYTES) {
      byte[] piece =
          Arrays.copyOfRange(data, from, Math.min(data.length, from + STDIN_PIECE_BYTES));
      commands.writeStdin(caller.tenantId(), caller.sandboxId(), process.taskId(), piece);
    }
    return Map.of();
  }

  Map<String, Object> closeStdin(EnvdCaller caller, JsonNode request) {
    E2bProcessRow process = select(caller, request.path("process"), true);
    commands.closeStdin(caller.tenantId(), caller.sandboxId(), process.taskId());
    return Map.of();
  }

  /**
   * SIGTERM and SIGKILL both kill the process's group as Sandbar's kill does (TERM, a grace, then
   * KILL), and answer once the end is recorded or the wait for it ran out.
   */
  Map<String, Object> sendSignal(EnvdCaller caller, JsonNode request) {
    E2bProcessRow process = select(caller, request.path("process"), true);
    JsonNode signal = request.path("signal");
    String name = signal.isNumber() ? "SIGNAL_" + signal.asInt() : signal.asString("");
    switch (name) {
      case "SIGNAL_SIGKILL", "SIGNAL_SIGTERM", "SIGNAL_9", "SIGNAL_15" ->
          commands.kill(caller.tenantId(), caller.sandboxId(), process.taskId());
      default ->
          throw ConnectException.invalid(
              "signal must be SIGNAL_SIGTERM or SIGNAL_SIGKILL, not " + signal);
    }
    return Map.of();
  }

  /**
   * The process a {@code ProcessSelector} names: by pid, or by tag (the newest running process with
   * it). With {@code mustRun}, an ended process is not found, as envd forgets a process when it
   * ends.
   */
  private E2bProcessRow select(EnvdCaller caller, JsonNode selector, boolean mustRun) {
    E2bProcessRow process;
    if (ProtoJson.present(selector, "pid")) {
      int pid = selector.path("pid").asInt(-1);
      process =
          processes
              .byPid(caller.tenantId(), caller.sandboxId(), pid)
              .orElseThrow(() -> notFound("process with pid " + pid + " not found"));
    } else if (ProtoJson.present(selector, "tag")) {
      String tag = selector.path("tag").asString("");
      process =
          processes
              .runningByTag(caller.tenantId(), caller.sandboxId(), tag)
              .orElseThrow(() -> notFound("process with tag " + tag + " not found"));
    } else {
      throw ConnectException.invalid("process must name a pid or a tag");
    }
    if (mustRun) {
      TaskRow task = commands.task(caller.tenantId(), caller.sandboxId(), process.taskId());
      if (!task.isRunning()) {
        throw notFound("process with pid " + process.pid() + " has ended (" + task.status() + ")");
      }
    }
    return process;
  }

  private @Nullable Long timeoutSeconds(@Nullable Long timeoutMs) {
    if (timeoutMs == null || timeoutMs <= 0) {
      return null;
    }
    long seconds = Math.max(1, (timeoutMs + 999) / 1000);
    return Math.min(seconds, commands.backgroundLimitSeconds());
  }

  private static ConnectException notFound(String message) {
    return new ConnectException(ConnectCode.NOT_FOUND, message);
  }
}
