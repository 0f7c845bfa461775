package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.api.ApiIntegrationTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Draining notifications: each is answered once, oldest first, and none is lost when the answer
 * cannot be delivered. The rows are written here as a command's workflow would write them.
 */
class NotificationDrainTest extends ApiIntegrationTest {

  @Autowired NotificationService notifications;

  private TestTenant tenant;
  private String sandbox;

  @BeforeEach
  void setUp() {
    tenant = newTenant();
    sandbox = insertSandbox(tenant.id(), "running", Instant.now(), Map.of());
  }

  @Test
  void drainAnswersTheSessionsNoticesOldestFirstAndRemovesThem() {
    insertNotification(tenant.id(), sandbox, "s1", "t-first", "stalled");
    insertNotification(tenant.id(), sandbox, "s1", "t-second", "completed");
    insertNotification(tenant.id(), sandbox, "s1", "t-third", "completed");
    insertNotification(tenant.id(), sandbox, "s2", "t-other", "completed");
    insertNotification(tenant.id(), sandbox, "", "t-nosession", "completed");

    Response drained = drain("?sessionId=s1");

    assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    assertThat(drained.contentType()).startsWith("application/json");
    List<JsonNode> items = drained.json().path("items").valueStream().toList();
    assertThat(items)
        .extracting(n -> n.path("taskId").asString())
        .containsExactly("t-first", "t-second", "t-third");
    JsonNode first = items.get(0);
    assertThat(first.path("id").asString()).startsWith("n-");
    assertThat(first.path("kind").asString()).isEqualTo("stalled");
    assertThat(first.path("status").asString()).isEqualTo("completed");
    assertThat(first.path("exitCode").asInt()).isZero();
    assertThat(first.path("message").asString()).isEqualTo("task t-first completed");
    assertThat(first.path("createdAt").asString()).isNotBlank();

    assertThat(taskIds(drain("?sessionId=s1"))).as("a notice is answered once").isEmpty();
    assertThat(taskIds(drain(""))).containsExactly("t-nosession");
    assertThat(taskIds(drain("?sessionId=s2"))).containsExactly("t-other");
    awaitNoNotifications();
  }

  @Test
  void drainWaitsUntilANoticeArrives() throws Exception {
    CompletableFuture<Response> waiting =
        CompletableFuture.supplyAsync(() -> drain("?sessionId=poll&waitSeconds=30"));
    Thread.sleep(700);
    assertThat(waiting).as("nothing to answer yet").isNotDone();

    long insertedAt = System.nanoTime();
    insertNotification(tenant.id(), sandbox, "poll", "t-late", "completed");
    Response drained = waiting.get(20, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - insertedAt))
        .as("answered when the notice arrived, not when the wait ran out")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(taskIds(drained)).containsExactly("t-late");
    awaitNoNotifications();
  }

  @Test
  void drainWithNothingToAnswerAnswersEmptyOnceTheWaitIsOver() {
    Response drained = drain("?sessionId=idle&waitSeconds=1");

    assertThat(drained.status()).isEqualTo(200);
    assertThat(taskIds(drained)).isEmpty();
  }

  @Test
  void noticesStayWhenTheAnswerCannotBeDelivered() throws Exception {
    insertNotification(tenant.id(), sandbox, "s", "t-kept", "completed");

    assertThatThrownBy(
            () ->
                notifications.drain(
                    tenant.id(),
                    sandbox,
                    "s",
                    0,
                    drained -> {
                      assertThat(drained.items()).hasSize(1);
                      throw new IOException("Broken pipe");
                    }))
        .isInstanceOf(IOException.class);

    assertThat(notificationRows(sandbox)).as("the delete was rolled back").isEqualTo(1);
    assertThat(taskIds(drain("?sessionId=s"))).containsExactly("t-kept");
  }

  @Test
  void concurrentDrainsNeverAnswerANoticeTwice() throws Exception {
    for (int i = 0; i < 20; i++) {
      insertNotification(tenant.id(), sandbox, "race", "t-" + i, "completed");
    }

    List<CompletableFuture<Response>> drains =
        java.util.stream.IntStream.range(0, 4)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> drain("?sessionId=race")))
            .toList();
    List<String> answered = new java.util.ArrayList<>();
    for (CompletableFuture<Response> drain : drains) {
      answered.addAll(taskIds(drain.get(20, TimeUnit.SECONDS)));
    }

    assertThat(answered).hasSize(20).doesNotHaveDuplicates();
  }

  @Test
  void invalidDrainIsRejected() {
    assertProblem(drain("?waitSeconds=61"), 400, "validation");
    assertProblem(drain("?waitSeconds=-1"), 400, "validation");
    assertProblem(drain("?sessionId=has%20space"), 400, "validation");
    assertProblem(drain("?waitSeconds=soon"), 400, "validation");
  }

  @Test
  void anotherTenantCannotDrainTheSandbox() {
    insertNotification(tenant.id(), sandbox, "s", "t-mine", "completed");
    TestTenant stranger = newTenant();

    assertProblem(
        post("/v1/sandboxes/" + sandbox + "/notifications/drain?sessionId=s", stranger.key(), null),
        404,
        "not-found");
    assertThat(notificationRows(sandbox)).isEqualTo(1);
  }

  /**
   * The delete commits just after the answer is flushed, so the client may read the table a moment
   * before it does (a second drain cannot: it waits on the drained rows' locks).
   */
  private void awaitNoNotifications() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (notificationRows(sandbox) > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertThat(notificationRows(sandbox)).isZero();
  }

  private Response drain(String query) {
    return post("/v1/sandboxes/" + sandbox + "/notifications/drain" + query, tenant.key(), null);
  }

  private static List<String> taskIds(Response drained) {
    assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    return drained
        .json()
        .path("items")
        .valueStream()
        .map(n -> n.path("taskId").asString())
        .toList();
  }
}
