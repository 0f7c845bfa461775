package dev.sandbar.store.sandbox;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The idempotency keys of sandbox creation, kept on the sandboxes they created. */
@RegisterConstructorMapper(IdempotentCreate.class)
public interface IdempotencyDao {

  @SqlQuery(
      """
      select id as sandbox_id, idempotency_hash as request_hash,
             idempotency_response as response, created_at
        from sandboxes
       where tenant_id = :tenantId and idempotency_key = :key
      """)
  Optional<IdempotentCreate> find(String tenantId, String key);

  /**
   * Releases the tenant's key if the sandbox holding it was created before {@code expiredBefore},
   * so the key may create a new sandbox. Idempotent.
   */
  @SqlUpdate(
      """
      update sandboxes set idempotency_key = null
       where tenant_id = :tenantId and idempotency_key = :key and created_at < :expiredBefore
      """)
  int releaseExpired(String tenantId, String key, Instant expiredBefore);

  /** Keeps the first answer given to the request that created sandbox {@code id}. */
  @SqlUpdate(
      """
      update sandboxes set idempotency_response = :response
       where id = :id and idempotency_key is not null and idempotency_response is null
      """)
  int storeResponse(String id, String response);
}
