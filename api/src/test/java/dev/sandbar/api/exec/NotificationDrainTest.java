package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Draining notifications at least once: a drain answers the session's notices, oldest first, with a
 * cursor; only an acknowledgement of that cursor deletes them, so a client that lost an answer (or
 * never acknowledged it) loses nothing. The rows are written here as a command's workflow would
 * write them.
 */
class NotificationDrainTest extends ApiIntegrationTest {

  private String sandbox;

  @BeforeEach
  void setUp() {
    sandbox = insertRunningSandbox(tenant.id());
  }

  @Test
  void drainAnswersTheSessionsNoticesOldestFirstWithACursorAndKeepsThemUntilAcknowledged() {
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
    String cursor = cursor(drained);
    assertThat(cursor).isNotBlank();

    assertThat(taskIds(drain("?sessionId=s1")))
        .as("not acknowledged: answered again")
        .containsExactly("t-first", "t-second", "t-third");
    Response afterAck = drain("?sessionId=s1&cursor=" + cursor);
    assertThat(taskIds(afterAck)).as("acknowledged by the next drain").isEmpty();
    assertThat(afterAck.json().path("cursor").isNull()).as(afterAck.body()).isTrue();

    Response other = drain("?sessionId=s2");
    assertThat(taskIds(other)).containsExactly("t-other");
    Response ack = ack("?sessionId=s2&cursor=" + cursor(other));
    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    assertThat(ack.json().path("acknowledged").asInt()).isEqualTo(1);
    assertThat(ack("?sessionId=s2&cursor=" + cursor(other)).json().path("acknowledged").asInt())
        .as("a repeated acknowledgement deletes nothing more")
        .isZero();
    assertThat(taskIds(drain("?sessionId=s2"))).isEmpty();

    assertThat(taskIds(drain(""))).containsExactly("t-nosession");
    assertThat(notificationRows(sandbox)).as("only s1 and s2 were acknowledged").isEqualTo(1);
  }

  /**
   * The client gives up on a long poll (closes its connection) before a notice arrives; the server
   * answers it into the closed connection. Its next drain gets the notice.
   */
  @Test
  void aDrainWhoseClientDisconnectsLosesNothing() throws Exception {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = client.getOutputStream();
      out.write(
          ("POST /v1/sandboxes/"
                  + sandbox
                  + "/notifications/drain?sessionId=gone&waitSeconds=3 HTTP/1.1\r\n"
                  + "Host: localhost\r\nAuthorization: Bearer "
                  + tenant.key()
                  + "\r\nContent-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(500);
    }
    insertNotification(tenant.id(), sandbox, "gone", "t-lost-answer", "completed");
    // Let the abandoned drain find the notice and answer it into the closed connection.
    Thread.sleep(3500);

    Response next = drain("?sessionId=gone");
    assertThat(taskIds(next)).containsExactly("t-lost-answer");
    drain("?sessionId=gone&cursor=" + cursor(next));
    assertThat(notificationRows(sandbox)).isZero();
  }

  /**
   * bigserial order is not commit order: a notice can commit after a drain answered a later one.
   * Acknowledging that drain's cursor must not delete the notice it never answered.
   */
  @Test
  void acknowledgingDeletesOnlyWhatADrainAnswered() {
    // The seq of an insert still in flight while a later one commits.
    long inFlight =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select nextval(pg_get_serial_sequence('notifications', 'seq'))")
                    .mapTo(Long.class)
                    .one());
    insertNotification(tenant.id(), sandbox, "late", "t-answered", "completed");
    Response drained = drain("?sessionId=late");
    String cursor = cursor(drained);
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into notifications (seq, id, sandbox_id, tenant_id, session_id, task_id,
                                               kind, status, exit_code, message, created_at)
                    values (:seq, :id, :sandbox, :tenant, 'late', 't-committed-late', 'completed',
                            'completed', 0, 'late', :at)
                    """)
                .bind("seq", inFlight)
                .bind("id", "n-late-" + sandbox)
                .bind("sandbox", sandbox)
                .bind("tenant", tenant.id())
                .bind("at", Instant.now())
                .execute());

    Response next = drain("?sessionId=late&cursor=" + cursor);

    assertThat(taskIds(next)).containsExactly("t-committed-late");
    drain("?sessionId=late&cursor=" + cursor(next));
    assertThat(notificationRows(sandbox)).isZero();
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
  }

  @Test
  void drainWithNothingToAnswerAnswersEmptyOnceTheWaitIsOver() {
    Response drained = drain("?sessionId=idle&waitSeconds=1");

    assertThat(drained.status()).isEqualTo(200);
    assertThat(taskIds(drained)).isEmpty();
  }

  /** Clients draining one session at once may see a notice twice, but every one reaches one. */
  @Test
  void concurrentDrainsThatAcknowledgeLoseNothing() throws Exception {
    for (int i = 0; i < 20; i++) {
      insertNotification(tenant.id(), sandbox, "race", "t-" + i, "completed");
    }

    List<CompletableFuture<List<String>>> clients =
        IntStream.range(0, 4)
            .mapToObj(i -> CompletableFuture.supplyAsync(this::drainAndAcknowledgeTwice))
            .toList();
    Set<String> answered = new LinkedHashSet<>();
    for (CompletableFuture<List<String>> client : clients) {
      answered.addAll(client.get(30, TimeUnit.SECONDS));
    }

    assertThat(answered).hasSize(20);
    Response rest = drain("?sessionId=race");
    drain("?sessionId=race&cursor=" + (rest.items().isEmpty() ? "0" : cursor(rest)));
    assertThat(notificationRows(sandbox)).isZero();
  }

  @Test
  void invalidDrainIsRejected() {
    assertProblem(drain("?waitSeconds=61"), 400, "validation");
    assertProblem(drain("?waitSeconds=-1"), 400, "validation");
    assertProblem(drain("?sessionId=has%20space"), 400, "validation");
    assertProblem(drain("?waitSeconds=soon"), 400, "validation");
    assertProblem(drain("?cursor=-1"), 400, "validation");
    assertProblem(drain("?cursor=abc"), 400, "validation");
    assertProblem(drain("?cursor=1234567890123456789012"), 400, "validation");
    assertProblem(ack(""), 400, "validation");
    assertProblem(ack("?cursor=1.5"), 400, "validation");
  }

  @Test
  void anotherTenantCannotDrainOrAcknowledgeTheSandbox() {
    insertNotification(tenant.id(), sandbox, "s", "t-mine", "completed");
    String cursor = cursor(drain("?sessionId=s"));
    TestTenant stranger = newTenant();

    assertProblem(
        post("/v1/sandboxes/" + sandbox + "/notifications/drain?sessionId=s", stranger.key(), null),
        404,
        "not-found");
    assertProblem(
        post(
            "/v1/sandboxes/" + sandbox + "/notifications/ack?sessionId=s&cursor=" + cursor,
            stranger.key(),
            null),
        404,
        "not-found");
    assertThat(notificationRows(sandbox)).isEqualTo(1);
  }

  private List<String> drainAndAcknowledgeTwice() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int i = 0; i < 2; i++) {
      Response drained = drain("?sessionId=race" + (cursor == null ? "" : "&cursor=" + cursor));
      seen.addAll(taskIds(drained));
      cursor = drained.items().isEmpty() ? null : cursor(drained);
    }
    if (cursor != null) {
      ack("?sessionId=race&cursor=" + cursor);
    }
    return seen;
  }

  private Response drain(String query) {
    return post("/v1/sandboxes/" + sandbox + "/notifications/drain" + query, tenant.key(), null);
  }

  private Response ack(String query) {
    return post("/v1/sandboxes/" + sandbox + "/notifications/ack" + query, tenant.key(), null);
  }

  private static String cursor(Response drained) {
    assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    JsonNode cursor = drained.json().path("cursor");
    assertThat(cursor.isString()).as(drained.body()).isTrue();
    return cursor.asString();
  }

  private static List<String> taskIds(Response drained) {
    assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    return drained.itemValues("taskId");
  }
}
