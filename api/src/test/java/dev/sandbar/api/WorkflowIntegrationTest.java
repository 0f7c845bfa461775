package dev.sandbar.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.api.testworker.TestWorker;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The API driving real workflows on an in-process worker ({@link TestWorker}). Every subclass
 * shares one application context, so keep the annotation's attributes identical.
 */
@SpringBootTest(
    classes = {ApiApplication.class, TestWorker.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sandbar.admin-key=" + ApiIntegrationTest.ADMIN_KEY,
      "sandbar.exec.stall-seconds=2"
    })
public abstract class WorkflowIntegrationTest extends ApiIntegrationTest {

  /** Creates a sandbox, waits until it runs, and answers its id. */
  protected String runningSandbox(TestTenant tenant) {
    ensureBaseImageHost();
    Response created = post("/v1/sandboxes", tenant.key(), "{\"wait\": true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("state").asString()).isEqualTo("running");
    return created.json().path("id").asString();
  }
}
