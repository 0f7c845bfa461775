package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  private String sandbox;

  @BeforeEach
  void setUp() {
    sandbox = insertRunningSandbox(tenant.id());
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
    List<JsonNode> items = drained.items();
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

  /**
   * Asserts on order, not on a clock: the drain answers while a drain of another session, started
   * alongside it with a shorter wait, still waits; had it answered only when its own wait ran out,
   * that shorter one would have ended first.
   */
  @Test
  void drainWaitsUntilANoticeArrives() throws Exception {
    try (ExecutorService clients = Executors.newCachedThreadPool()) {
      CompletableFuture<Response> waiting =
          CompletableFuture.supplyAsync(() -> drain("?sessionId=poll&waitSeconds=30"), clients);
      CompletableFuture<Response> shorterWait =
          CompletableFuture.supplyAsync(() -> drain("?sessionId=idle&waitSeconds=20"), clients);
      Thread.sleep(700);
      assertThat(waiting).as("nothing to answer yet").isNotDone();

      insertNotification(tenant.id(), sandbox, "poll", "t-late", "completed");
      Response drained = waiting.get(60, TimeUnit.SECONDS);

      assertThat(shorterWait)
          .as("answered when the notice arrived, not when the wait ran out")
          .isNotDone();
      assertThat(taskIds(drained)).containsExactly("t-late");
      insertNotification(tenant.id(), sandbox, "idle", "t-release", "completed");
      shorterWait.get(60, TimeUnit.SECONDS);
    }
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
    assertThat(
            poll(
                Duration.ofSeconds(10),
                Duration.ofMillis(20),
                () -> notificationRows(sandbox),
                rows -> rows == 0))
        .isZero();
  }

  private Response drain(String query) {
    return post("/v1/sandboxes/" + sandbox + "/notifications/drain" + query, tenant.key(), null);
  }

  private static List<String> taskIds(Response drained) {
    assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    return drained.itemValues("taskId");
  }
}
