package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Foreground commands wait for their result in the request, for up to their limit. Tomcat here has
 * four platform threads: were each waiting request to hold one, the fifth request would wait for a
 * command to end. Requests run on virtual threads instead, so a plain GET answers while forty
 * foreground commands wait.
 */
@TestPropertySource(properties = "server.tomcat.threads.max=4")
class ForegroundExecThreadsTest extends WorkflowIntegrationTest {

  private static final int WAITING = 40;

  @Test
  void aPlainGetAnswersWhileManyForegroundCommandsWait() {
    String sandbox = runningSandbox(tenant);
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    List<CompletableFuture<Response>> execs = new ArrayList<>();
    try {
      for (int i = 0; i < WAITING; i++) {
        execs.add(
            CompletableFuture.supplyAsync(
                () ->
                    post(
                        "/v1/sandboxes/" + sandbox + "/exec",
                        tenant.key(),
                        "{\"command\": \"sleep 30; echo done\", \"timeoutSeconds\": 90}"),
                clients));
      }

      // Each of these GETs is answered while every foreground request is still waiting.
      Response running;
      do {
        running = get("/v1/sandboxes/" + sandbox + "/tasks?status=running&limit=100", tenant.key());
        assertThat(running.status()).as(running.body()).isEqualTo(200);
        assertThat(execs).noneMatch(CompletableFuture::isDone);
      } while (running.items().size() < WAITING);

      assertThat(execs)
          .allSatisfy(
              exec -> {
                Response answer = exec.join();
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.json().path("stdout").asString()).isEqualTo("done\n");
              });
    } finally {
      clients.shutdown();
    }
  }
}
