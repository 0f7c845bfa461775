package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class CreateSandboxTest extends ApiIntegrationTest {

  @Autowired WorkflowClient temporal;

  @BeforeEach
  void baseImageHost() {
    ensureBaseImageHost();
  }

  @Test
  void createsSandboxWithDefaultsAndStartsItsWorkflow() throws Exception {
    Response response = post("/v1/sandboxes", tenant.key(), "{}");

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    String id = response.json().path("id").asString();
    assertThat(id).matches("sb-[a-z0-9]{20}");
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/sandboxes/" + id);
    assertThat(response.json().path("state").asString()).isEqualTo("creating");
    assertThat(response.json().path("image").asString()).isEqualTo(BASE_IMAGE);
    assertThat(response.json().path("command").isEmpty()).isTrue();
    assertThat(response.json().path("resources").path("cpus").asDouble()).isEqualTo(1.0);
    assertThat(response.json().path("resources").path("memoryMb").asLong()).isEqualTo(512);
    assertThat(response.json().path("resources").path("pids").asLong()).isEqualTo(256);
    assertThat(response.json().path("idleTimeoutSeconds").asLong()).isEqualTo(900);
    assertThat(response.json().path("idleAction").asString()).isEqualTo("pause");
    assertThat(response.json().path("ttlSeconds").asLong()).isZero();
    assertThat(response.json().path("dataPath").asString()).isEqualTo("/data");
    assertThat(response.json().path("networkMode").asString())
        .as("the tenant's own network, inter-container traffic off")
        .isEqualTo("isolated");
    assertThat(response.json().path("readOnlyRootFilesystem").asBoolean()).isFalse();
    assertThat(response.json().path("user").isNull()).isTrue();
    Instant createdAt = Instant.parse(response.json().path("createdAt").asString());

    // Admission fills the requests placement counts: 5 % of the CPU limit, half the memory.
    assertThat(response.json().path("resources").path("requestCpus").asDouble()).isEqualTo(0.05);
    assertThat(response.json().path("resources").path("requestMemoryMb").asLong()).isEqualTo(256);
    SandboxSpec defaults = defaultSpec(Map.of());
    SandboxSpec expected =
        new SandboxSpec(
            defaults.image(),
            defaults.command(),
            defaults.env(),
            defaults.labels(),
            new Resources(1.0, 512, 256, 0.05, 256L),
            defaults.idleTimeoutSeconds(),
            defaults.idleAction(),
            defaults.ttlSeconds(),
            defaults.dataPath(),
            defaults.networkMode(),
            defaults.restoreFrom(),
            defaults.hostLabels());
    String storedSpec =
        queryOne("select spec::text from sandboxes where id = :id", id, String.class);
    assertThat(new ObjectMapper().readValue(storedSpec, SandboxSpec.class))
        .as("the spec column is readable by modules without Spring")
        .isEqualTo(expected);

    List<HistoryEvent> history =
        temporal.fetchHistory(SandboxWorkflow.workflowId(id)).getHistory().getEventsList();
    HistoryEvent started = history.getFirst();
    assertThat(started.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assertThat(started.getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName())
        .isEqualTo(TaskQueues.CONTROL);
    SandboxWorkflowInput input =
        DefaultDataConverter.newDefaultInstance()
            .fromPayloads(
                0,
                java.util.Optional.of(
                    started.getWorkflowExecutionStartedEventAttributes().getInput()),
                SandboxWorkflowInput.class,
                SandboxWorkflowInput.class);
    assertThat(input)
        .isEqualTo(
            new SandboxWorkflowInput(id, tenant.id(), expected, createdAt.toEpochMilli(), null));
  }

  @Test
  void keepsWhatTheRequestAskedFor() {
    Response response =
        post(
            "/v1/sandboxes",
            tenant.key(),
            """
            {"image": "sandbar-base", "command": ["sleep", "1000"], "env": {"A_B": "1"},
             "labels": {"team": "core"}, "resources": {"cpus": 0.5, "memoryMb": 256, "pids": 64},
             "idleTimeoutSeconds": 0, "idleAction": "stop", "ttlSeconds": 3600,
             "dataPath": "/work/data", "networkMode": "none",
             "readOnlyRootFilesystem": true, "user": "1000:1000"}
            """);

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    String id = response.json().path("id").asString();
    Response fetched = get("/v1/sandboxes/" + id, tenant.key());
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.json().path("image").asString())
        .as("an untagged image means :latest, the name Docker reports")
        .isEqualTo(BASE_IMAGE);
    assertThat(fetched.json().path("command").toString()).isEqualTo("[\"sleep\",\"1000\"]");
    assertThat(fetched.json().path("env").path("A_B").asString()).isEqualTo("1");
    assertThat(fetched.json().path("labels").path("team").asString()).isEqualTo("core");
    assertThat(fetched.json().path("resources").path("cpus").asDouble()).isEqualTo(0.5);
    assertThat(fetched.json().path("idleTimeoutSeconds").asLong()).isZero();
    assertThat(fetched.json().path("idleAction").asString()).isEqualTo("stop");
    assertThat(fetched.json().path("ttlSeconds").asLong()).isEqualTo(3600);
    assertThat(fetched.json().path("dataPath").asString()).isEqualTo("/work/data");
    assertThat(fetched.json().path("networkMode").asString()).isEqualTo("none");
    assertThat(fetched.json().path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(fetched.json().path("user").asString()).isEqualTo("1000:1000");
  }

  @Test
  void rejectsImageThatNoHostHas() {
    Response response = post("/v1/sandboxes", tenant.key(), "{\"image\": \"nowhere:1.0\"}");

    assertProblem(response, 400, "validation");
    assertThat(response.json().path("detail").asString())
        .isEqualTo("image nowhere:1.0 is not available on any host");
    assertThat(response.invalidFields()).containsExactly("image");
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void rejectsImageThatOnlyAnUnreachableOrDrainingHostHas() {
    String image = "stale-only:" + System.nanoTime();
    insertHost("stale-host", "online", Instant.now().minusSeconds(120), true, image);
    String draining = "draining-only:" + System.nanoTime();
    insertHost("draining-host", "draining", Instant.now(), true, draining);

    assertProblem(
        post("/v1/sandboxes", tenant.key(), "{\"image\": \"" + image + "\"}"), 400, "validation");
    assertProblem(
        post("/v1/sandboxes", tenant.key(), "{\"image\": \"" + draining + "\"}"),
        400,
        "validation");
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void sameIdempotencyKeyReturnsTheSameSandbox() {
    Map<String, String> key = Map.of("Idempotency-Key", "create-once");

    Response first = send("POST", "/v1/sandboxes", tenant.key(), "{}", key);
    Response second = send("POST", "/v1/sandboxes", tenant.key(), "{}", key);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    String id = first.json().path("id").asString();
    assertThat(second.json().path("id").asString()).isEqualTo(id);
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
    long starts =
        temporal.fetchHistory(SandboxWorkflow.workflowId(id)).getHistory().getEventsList().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
            .count();
    assertThat(starts).isEqualTo(1);

    Response other = send("POST", "/v1/sandboxes", newTenant().key(), "{}", key);
    assertThat(other.json().path("id").asString())
        .as("idempotency keys are per tenant")
        .isNotEqualTo(id);
  }
}
