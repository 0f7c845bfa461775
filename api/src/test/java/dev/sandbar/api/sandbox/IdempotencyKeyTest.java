package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} as the IETF draft and Stripe have it: the same request again gets the
 * first answer, another request under the key a 422 that creates nothing, and after 24 h the key
 * creates anew.
 */
class IdempotencyKeyTest extends ApiIntegrationTest {

  private static final Map<String, String> KEY = Map.of("Idempotency-Key", "order-42");

  @BeforeEach
  void baseImageHost() {
    ensureBaseImageHost();
  }

  @Test
  void aReplayOfTheSameRequestGetsTheStoredAnswer() {
    Response first =
        send(
            "POST",
            "/v1/sandboxes",
            tenant.key(),
            "{\"labels\": {\"a\": \"1\", \"b\": \"2\"}, \"ttlSeconds\": 3600}",
            KEY);
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    String id = first.json().path("id").asString();
    // The sandbox moves on; the stored answer is the one the first request got.
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate("update sandboxes set state = 'running' where id = :id")
                .bind("id", id)
                .execute());

    Response replay =
        send(
            "POST",
            "/v1/sandboxes",
            tenant.key(),
            // Members in another order, and wait (how to answer, not what to create) changed.
            "{\"ttlSeconds\": 3600, \"labels\": {\"b\": \"2\", \"a\": \"1\"}, \"wait\": false}",
            KEY);

    assertThat(replay.status()).as(replay.body()).isEqualTo(201);
    assertThat(replay.json()).isEqualTo(first.json());
    assertThat(replay.json().path("state").asString()).isEqualTo("creating");
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherRequestIsA422ThatCreatesNothing() {
    Response first = send("POST", "/v1/sandboxes", tenant.key(), "{\"ttlSeconds\": 60}", KEY);
    assertThat(first.status()).as(first.body()).isEqualTo(201);

    Response other = send("POST", "/v1/sandboxes", tenant.key(), "{\"ttlSeconds\": 61}", KEY);

    assertProblem(other, 422, "idempotency-key-reused");
    assertThat(other.json().path("sandboxId").asString())
        .isEqualTo(first.json().path("id").asString());
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  @Test
  void aKeyOlderThan24HoursCreatesANewSandbox() {
    Response first = send("POST", "/v1/sandboxes", tenant.key(), "{}", KEY);
    String id = first.json().path("id").asString();
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    "update sandboxes set created_at = created_at - interval '25 hours'"
                        + " where id = :id")
                .bind("id", id)
                .execute());

    Response later = send("POST", "/v1/sandboxes", tenant.key(), "{\"ttlSeconds\": 5}", KEY);

    assertThat(later.status()).as(later.body()).isEqualTo(201);
    assertThat(later.json().path("id").asString()).isNotEqualTo(id);
    assertThat(sandboxRows(tenant.id())).isEqualTo(2);
  }
}
