package dev.sandbar.api.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Examples of the main request and answer schemas, shown by Swagger UI and generators. */
final class ApiExamples {

  private static final String SANDBOX_ID = "sb-4f2kq9x7m1c8d3e5a6b0";
  private static final String TASK_ID = "t-8c1d2e3f4a5b6c7d8e9f0a1b";

  static final Map<String, Object> EXAMPLES =
      Map.of(
          "CreateSandboxRequest",
          ordered(
              "image",
              "sandbar-base:latest",
              "labels",
              Map.of("team", "agents"),
              "resources",
              Map.of("cpus", 1, "memoryMb", 512),
              "idleTimeoutSeconds",
              900,
              "idleAction",
              "pause",
              "wait",
              true),
          "SandboxResponse",
          sandbox(),
          "RunCommandRequest",
          ordered(
              "command", "python3 -c 'print(6*7)'",
              "cwd", "/data",
              "timeoutSeconds", 60,
              "sessionId", "agent-1"),
          "CommandResult",
          ordered(
              "taskId",
              TASK_ID,
              "status",
              "completed",
              "exitCode",
              0,
              "stdout",
              "42\n",
              "stderr",
              "",
              "durationMs",
              118,
              "truncated",
              false),
          "CommandStarted",
          ordered("taskId", TASK_ID, "outputFile", "/tmp/.sandbar/" + TASK_ID + ".log"));

  private ApiExamples() {}

  private static Map<String, Object> sandbox() {
    Map<String, Object> sandbox =
        ordered(
            "id",
            SANDBOX_ID,
            "state",
            "running",
            "hostId",
            "host-1",
            "image",
            "sandbar-base:latest",
            "command",
            List.of("sleep", "infinity"),
            "env",
            Map.of(),
            "labels",
            Map.of("team", "agents"),
            "resources",
            Map.of("cpus", 1.0, "memoryMb", 512, "pids", 512));
    sandbox.putAll(
        ordered(
            "idleTimeoutSeconds", 900,
            "idleAction", "pause",
            "ttlSeconds", 0,
            "dataPath", "/data",
            "networkMode", "isolated",
            "error", null,
            "archiveId", null,
            "createdAt", "2026-01-05T10:15:30.123456Z",
            "updatedAt", "2026-01-05T10:15:31.654321Z",
            "health", "none",
            "restartPolicy", "never"));
    return sandbox;
  }

  /** A map that keeps the order its members are given in, and allows null values. */
  private static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
