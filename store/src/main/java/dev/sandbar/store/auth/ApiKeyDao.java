package dev.sandbar.store.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tenants and their API keys. */
@RegisterConstructorMapper(Tenant.class)
public interface ApiKeyDao {

  @SqlQuery(
      """
      select k.tenant_id
        from api_keys k
        join tenants t on t.id = k.tenant_id
       where k.key_hash = :keyHash
         and k.revoked_at is null
      """)
  Optional<String> activeKeyTenant(String keyHash);

  @SqlQuery("select tenant_id from api_keys where key_hash = :keyHash")
  Optional<String> keyOwner(String keyHash);

  @SqlUpdate(
      """
      insert into tenants (id, name, created_at)
      values (:id, :name, :createdAt)
      on conflict (id) do nothing
      """)
  int insertTenant(String id, String name, Instant createdAt);

  @SqlQuery("select id, name, created_at from tenants where id = :id")
  Optional<Tenant> findTenant(String id);

  @SqlUpdate(
      """
      insert into api_keys (id, tenant_id, key_hash, prefix, created_at)
      values (:id, :tenantId, :keyHash, :prefix, :createdAt)
      on conflict (key_hash) do nothing
      """)
  int insertKey(String id, String tenantId, String keyHash, String prefix, Instant createdAt);

  /** Keeps the first revocation time when a key is revoked twice. */
  @SqlUpdate("update api_keys set revoked_at = coalesce(revoked_at, now()) where id = :id")
  int revoke(String id);
}
