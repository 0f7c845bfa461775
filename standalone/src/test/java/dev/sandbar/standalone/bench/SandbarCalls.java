package dev.sandbar.standalone.bench;

import dev.sandbar.api.testing.ApiClient.Response;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/** The Sandbar side of the scenarios: the HTTP calls a client makes, checked for success. */
final class SandbarCalls {

  private final BenchSystem system;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  SandbarCalls(BenchSystem system) {
    this.system = system;
  }

  /** Why calls failed since the last drain ("status: title" or the state reached), with counts. */
  Map<String, Integer> drainFailures() {
    Map<String, Integer> drained = new TreeMap<>(failures);
    failures.clear();
    return drained;
  }

  private <T> T failed(Response response) {
    String why =
        response.status()
            + ": "
            + (response.status() < 300
                ? "state " + response.json().path("state").asString()
                : response.json().path("title").asString(response.body()));
    failures.merge(why, 1, Integer::sum);
    return null;
  }

  /** {@code POST /v1/sandboxes} with {@code wait: true}; the new id, or null unless running. */
  String createRunning() {
    return createRunning("{\"wait\": true}");
  }

  /** A sandbox created with {@code body} (which should wait); its id, or null unless running. */
  String createRunning(String body) {
    Response created = system.call("POST", "/v1/sandboxes", body);
    if (created.status() != 201 || !"running".equals(created.json().path("state").asString())) {
      return failed(created);
    }
    return created.json().get("id").asString();
  }

  /** A foreground command; its answer, or null unless it exited with 0. */
  JsonNode exec(String sandboxId, String command) {
    Response answer =
        system.call(
            "POST", "/v1/sandboxes/" + sandboxId + "/exec", "{\"command\": \"" + command + "\"}");
    if (answer.status() != 200 || answer.json().path("exitCode").asInt(-1) != 0) {
      return failed(answer);
    }
    return answer.json();
  }

  /** A background command; its task id, or null unless accepted. */
  String background(String sandboxId, String command) {
    Response answer =
        system.call(
            "POST",
            "/v1/sandboxes/" + sandboxId + "/exec",
            "{\"command\": \"" + command + "\", \"background\": true}");
    if (answer.status() >= 300) {
      return failed(answer);
    }
    return answer.json().path("taskId").asString();
  }

  /** {@code POST /v1/sandboxes/{id}/{operation}}; whether it answered 200. */
  boolean operate(String sandboxId, String operation) {
    return system.call("POST", "/v1/sandboxes/" + sandboxId + "/" + operation, null).status()
        == 200;
  }

  /** {@code DELETE /v1/sandboxes/{id}}; whether it was accepted. */
  boolean destroy(String sandboxId) {
    return system.call("DELETE", "/v1/sandboxes/" + sandboxId, null).status() < 300;
  }
}
