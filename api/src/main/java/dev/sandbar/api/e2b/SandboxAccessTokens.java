package dev.sandbar.api.e2b;

import dev.sandbar.api.config.RandomIds;
import dev.sandbar.store.secret.ServerSecretDao;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The per-sandbox access token E2B's SDK sends to the in-sandbox daemon ({@code X-Access-Token}). A
 * token is the HMAC-SHA256 of the tenant and sandbox id under a secret the API instances share
 * through the database, so it needs no row of its own, is the same on every instance and after a
 * restart, and can be handed out again by {@code connect}. A token opens one sandbox of one tenant
 * and nothing else; it dies with the secret ({@code server_secrets.e2b-access-token}).
 */
@Service
public class SandboxAccessTokens {

  private static final String SECRET_NAME = "e2b-access-token";
  private static final String PREFIX = "sbe_";
  private static final String ALGORITHM = "HmacSHA256";

  private final ServerSecretDao secrets;
  private volatile byte @Nullable [] key;

  public SandboxAccessTokens(Jdbi jdbi) {
    this.secrets = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(ServerSecretDao.class);
  }

  /** The token that opens {@code sandboxId} of {@code tenantId}. */
  public String tokenFor(String tenantId, String sandboxId) {
    return PREFIX
        + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(tenantId, sandboxId));
  }

  /** Whether {@code token} opens {@code sandboxId} of {@code tenantId}; constant-time. */
  public boolean opens(@Nullable String token, String tenantId, String sandboxId) {
    if (token == null) {
      return false;
    }
    return MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8),
        tokenFor(tenantId, sandboxId).getBytes(StandardCharsets.UTF_8));
  }

  private byte[] mac(String tenantId, String sandboxId) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key(), ALGORITHM));
      // The NUL separator cannot occur in either id, so ("a", "bc") and ("ab", "c") differ.
      return mac.doFinal((tenantId + '\0' + sandboxId).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM provides " + ALGORITHM, e);
    }
  }

  private byte[] key() {
    byte[] current = key;
    if (current == null) {
      secrets.insertIfAbsent(SECRET_NAME, RandomIds.bytes(32));
      current = secrets.value(SECRET_NAME);
      key = current;
    }
    return current;
  }
}
