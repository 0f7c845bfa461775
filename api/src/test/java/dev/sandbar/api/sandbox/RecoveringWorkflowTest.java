package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * In a split deployment the API may serve a sandbox whose workflow a worker's start-up recovery has
 * not started again yet: an operation waits for it (a few seconds) instead of failing at once, and
 * a 503 after the wait says when to retry.
 */
class RecoveringWorkflowTest extends ApiIntegrationTest {

  @Autowired WorkflowClient client;

  @Test
  void anOperationWaitsForTheWorkflowThatRecoveryStartsAgain() throws Exception {
    String id = insertRunningSandbox(tenant.id());
    Thread recovery =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(1_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                  // What start-up recovery does for a sandbox whose workflow is gone.
                  WorkflowClient.start(workflow(id)::run, recovered(id));
                });
    try {
      Response touched = post("/v1/sandboxes/" + id + "/touch", tenant.key(), null);
      assertThat(touched.status()).as(touched.body()).isEqualTo(200);
    } finally {
      recovery.join();
      client.newUntypedWorkflowStub(SandboxWorkflow.workflowId(id)).terminate("test done");
    }
  }

  @Test
  void anOperationOnASandboxWhoseWorkflowNeverComesBackIs503WithRetryAfter() {
    String id = insertRunningSandbox(tenant.id());

    Response touched = post("/v1/sandboxes/" + id + "/touch", tenant.key(), null);

    assertProblem(touched, 503, "unavailable");
    assertThat(touched.headers().firstValue("Retry-After")).isPresent();
  }

  private SandboxWorkflow workflow(String id) {
    return client.newWorkflowStub(
        SandboxWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(SandboxWorkflow.workflowId(id))
            .setTaskQueue(TaskQueues.CONTROL)
            .build());
  }

  private SandboxWorkflowInput recovered(String id) {
    return new SandboxWorkflowInput(
        id,
        tenant.id(),
        defaultSpec(Map.of()),
        System.currentTimeMillis(),
        new SandboxWorkflowInput.Carried(
            SandboxState.RUNNING,
            "base-host",
            null,
            null,
            System.currentTimeMillis(),
            null,
            List.of(),
            3));
  }
}
