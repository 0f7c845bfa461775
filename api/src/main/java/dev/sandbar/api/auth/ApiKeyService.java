package dev.sandbar.api.auth;

import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.store.auth.ApiKeyDao;
import dev.sandbar.store.auth.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Tenants and API keys. Keys are random 32-byte secrets shown once; only their SHA-256 is stored,
 * so a leaked database does not leak working keys. Public because the standalone launcher
 * bootstraps its {@code default} tenant through {@link #ensureTenant} and {@link #ensureKey}.
 */
@Service
public class ApiKeyService {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
  private static final String KEY_PREFIX = "sbk_";
  private static final int SHOWN_PREFIX_LENGTH = 12;
  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final ApiKeyDao dao;

  public ApiKeyService(Jdbi jdbi) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(ApiKeyDao.class);
  }

  /** The tenant owning {@code plainKey}, if the key exists and is not revoked. */
  public Optional<String> tenantForKey(String plainKey) {
    return dao.activeKeyTenant(hash(plainKey));
  }

  /** Creates the tenant unless it exists; an existing tenant keeps its name. Idempotent. */
  public void ensureTenant(String id, String name) {
    dao.insertTenant(id, name, now());
  }

  /**
   * Registers {@code plainKey} for {@code tenantId} unless it is registered already. Idempotent; a
   * key that was revoked stays revoked, because revocation is an operator's deliberate act.
   *
   * @throws IllegalStateException if the key belongs to another tenant
   */
  public void ensureKey(String tenantId, String plainKey) {
    String hash = hash(plainKey);
    if (dao.insertKey(newKeyId(), tenantId, hash, shownPrefix(plainKey), now()) == 0) {
      String owner = dao.keyOwner(hash).orElse(tenantId);
      if (!owner.equals(tenantId)) {
        throw new IllegalStateException("the API key is registered for another tenant");
      }
      if (dao.activeKeyTenant(hash).isEmpty()) {
        log.warn("the bootstrap API key of tenant {} is revoked and stays revoked", tenantId);
      }
    }
  }

  /** Creates a tenant; 409 if the id is taken. */
  public Tenant createTenant(@Nullable String id, String name) {
    String tenantId = id == null ? RandomIds.lowerAlphanumeric("tn-", 12) : id;
    if (!TENANT_ID.matcher(tenantId).matches()) {
      throw ApiProblem.invalid(
          "id", "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      throw ApiProblem.invalid("name", "must be 1-200 characters and not blank");
    }
    if (dao.insertTenant(tenantId, name, now()) == 0) {
      throw ApiProblem.of(ProblemType.CONFLICT, "tenant " + tenantId + " already exists");
    }
    return dao.findTenant(tenantId).orElseThrow();
  }

  /** Issues a new key for an existing tenant; 404 if there is no such tenant. */
  public IssuedKey issueKey(String tenantId) {
    if (dao.findTenant(tenantId).isEmpty()) {
      throw ApiProblem.notFound("tenant " + tenantId + " not found");
    }
    String key =
        KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(RandomIds.bytes(32));
    String id = newKeyId();
    Instant createdAt = now();
    dao.insertKey(id, tenantId, hash(key), shownPrefix(key), createdAt);
    return new IssuedKey(id, key, tenantId, shownPrefix(key), createdAt);
  }

  /** Revokes a key; revoking it again is a no-op. 404 if there is no such key. */
  public void revokeKey(String keyId) {
    if (dao.revoke(keyId) == 0) {
      throw ApiProblem.notFound("API key " + keyId + " not found");
    }
  }

  /** Lower-case hex SHA-256 of the key, the form stored in {@code api_keys.key_hash}. */
  public static String hash(String plainKey) {
    return HexFormat.of().formatHex(sha256(plainKey));
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }

  private static String shownPrefix(String key) {
    return key.substring(0, Math.min(SHOWN_PREFIX_LENGTH, key.length()));
  }

  private static String newKeyId() {
    return RandomIds.lowerAlphanumeric("key-", 16);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
