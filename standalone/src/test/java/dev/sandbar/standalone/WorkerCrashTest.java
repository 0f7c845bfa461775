package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.worker.HostWorker;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class WorkerCrashTest extends EndToEndTest {

  @Autowired HostWorker worker;
  @Autowired WorkflowClient client;

  /** Waits for running; on failure shows the workflow's history, which says where it stuck. */
  private void awaitRunning(String id) {
    try {
      api.awaitSandbox(id, s -> s.get("state").asString().equals("running"), Duration.ofMinutes(2));
    } catch (AssertionError stuck) {
      StringBuilder events = new StringBuilder();
      client
          .fetchHistory(SandboxWorkflow.workflowId(id))
          .getEvents()
          .forEach(
              e ->
                  events
                      .append('\n')
                      .append(e.getEventType())
                      .append(' ')
                      .append(e.getEventTime().getSeconds()));
      throw new AssertionError(stuck.getMessage() + "\nhistory:" + events, stuck);
    }
  }

  private void awaitRunningWithOneContainer(String id) {
    awaitRunning(id);
    assertThat(DockerDaemonExtension.containersOf(docker, id)).hasSize(1);
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void sandboxCreatedWhileTheWorkerIsKilledEndsRunningWithExactlyOneContainer() {
    Response created = api.call("POST", "/v1/sandboxes", "{}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asString();
    // Kill right away: the create is somewhere between placement and start, or not begun.
    worker.kill();
    SandbarTestSupport.sleep(500);
    worker.start();

    awaitRunningWithOneContainer(id);
  }

  @Test
  void sandboxRequestedWhileNoWorkerRunsIsCreatedOnceTheWorkerReturns() {
    worker.kill();
    String id;
    try {
      Response created = api.call("POST", "/v1/sandboxes", "{}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      id = created.json().get("id").asString();
      SandbarTestSupport.sleep(1000);
      assertThat(api.get(id).get("state").asString()).isEqualTo("creating");
    } finally {
      worker.start();
    }
    awaitRunningWithOneContainer(id);
  }
}
