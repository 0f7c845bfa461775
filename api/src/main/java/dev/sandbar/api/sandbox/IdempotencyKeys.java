package dev.sandbar.api.sandbox;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.store.sandbox.IdempotencyDao;
import dev.sandbar.store.sandbox.IdempotentCreate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.stereotype.Component;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code Idempotency-Key} of sandbox creation, as the IETF draft ({@code
 * draft-ietf-httpapi-idempotency-key-header}) and Stripe have it: a key belongs to one tenant and
 * one request; the same request again gets the answer the first one got, another request under the
 * same key is a 422; after 24 h the key is free again.
 */
@Component
class IdempotencyKeys {

  static final Duration LIFETIME = Duration.ofHours(24);
  static final int MAX_KEY = 255;

  /** Map entries in key order, so a request's hash does not depend on the order of its labels. */
  private static final JsonMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final IdempotencyDao dao;
  private final JsonMapper json;

  IdempotencyKeys(Jdbi jdbi, JsonMapper json) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(IdempotencyDao.class);
    this.json = json;
  }

  static void requireWellFormed(String key) {
    if (key.isBlank() || key.length() > MAX_KEY) {
      throw ApiProblem.invalid("Idempotency-Key", "must be 1-" + MAX_KEY + " characters");
    }
  }

  /**
   * SHA-256 of the request as parsed, written canonically. {@code wait} is left out: it says how
   * the client wants its answer, not what to create, so a retry may change it.
   */
  static String hash(CreateSandboxRequest request) {
    ObjectNode what = CANONICAL.valueToTree(request);
    what.remove("wait");
    try {
      byte[] canonical = CANONICAL.writeValueAsString(what).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Frees the tenant's key if its sandbox was created more than 24 h ago. */
  void releaseExpired(String tenantId, String key) {
    dao.releaseExpired(tenantId, key, Instant.now().minus(LIFETIME));
  }

  /**
   * The stored answer to the request that first came with {@code key}, if it was answered; a 422 if
   * that request was another one than {@code requestHash}.
   */
  Optional<SandboxResponse> storedAnswer(String tenantId, String key, String requestHash) {
    Optional<IdempotentCreate> bound = dao.find(tenantId, key);
    if (bound.isEmpty()) {
      return Optional.empty();
    }
    String firstHash = bound.get().requestHash();
    // A key stored before requests were hashed cannot be compared; it keeps answering as it did.
    if (firstHash != null && !firstHash.equals(requestHash)) {
      throw ApiProblem.of(
              ProblemType.IDEMPOTENCY_KEY_REUSED,
              "Idempotency-Key '"
                  + key
                  + "' was used with another request (within the last 24 h); use a new key for"
                  + " a new request")
          .with("sandboxId", bound.get().sandboxId());
    }
    String response = bound.get().response();
    return response == null
        ? Optional.empty()
        : Optional.of(json.readValue(response, SandboxResponse.class));
  }

  /** Stores the first answer to the create that made sandbox {@code sandboxId} under a key. */
  void remember(SandboxResponse answer) {
    dao.storeResponse(answer.id(), json.writeValueAsString(answer));
  }
}
