package dev.sandbar.store.quota;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jspecify.annotations.Nullable;

/**
 * Quota overrides and the counts admission compares with them. The counts that guard an admission
 * run inside a transaction that first takes {@link #lockTenant}, so admissions of one tenant are
 * serialised and none can overshoot by racing another.
 */
@RegisterConstructorMapper(QuotaOverrides.class)
public interface QuotaDao {

  @SqlQuery(
      """
      select commands_per_sandbox, commands_per_tenant, sandboxes_per_tenant,
             archive_bytes_per_tenant, updated_at
        from tenant_quotas where tenant_id = :tenantId
      """)
  Optional<QuotaOverrides> overrides(String tenantId);

  /** Replaces the tenant's overrides; the caller has checked that the tenant exists. */
  @SqlUpdate(
      """
      insert into tenant_quotas (tenant_id, commands_per_sandbox, commands_per_tenant,
                                 sandboxes_per_tenant, archive_bytes_per_tenant, updated_at)
      values (:tenantId, :q.commandsPerSandbox, :q.commandsPerTenant, :q.sandboxesPerTenant,
              :q.archiveBytesPerTenant, now())
      on conflict (tenant_id) do update
         set commands_per_sandbox = excluded.commands_per_sandbox,
             commands_per_tenant = excluded.commands_per_tenant,
             sandboxes_per_tenant = excluded.sandboxes_per_tenant,
             archive_bytes_per_tenant = excluded.archive_bytes_per_tenant,
             updated_at = excluded.updated_at
      """)
  void putOverrides(String tenantId, @BindMethods("q") QuotaOverrides overrides);

  /**
   * Serialises the admissions of one tenant until the transaction ends; empty when there is no such
   * tenant. {@code no key update} does not block the inserts of rows that reference the tenant.
   */
  @SqlQuery("select id from tenants where id = :tenantId for no key update")
  Optional<String> lockTenant(String tenantId);

  /**
   * Running commands of the tenant, or of one of its sandboxes when {@code sandboxId} is set: task
   * rows still running plus admissions whose task row is not written yet.
   */
  @SqlQuery(
      """
      select (select count(*) from exec_tasks
               where tenant_id = :tenantId and status = 'running'
                 and (cast(:sandboxId as text) is null or sandbox_id = :sandboxId))
           + (select count(*) from command_admissions a
               where a.tenant_id = :tenantId
                 and (cast(:sandboxId as text) is null or a.sandbox_id = :sandboxId)
                 and a.admitted_at > now() - interval '60 seconds'
                 and not exists (select 1 from exec_tasks t where t.id = a.task_id))
      """)
  long runningCommands(String tenantId, @Nullable String sandboxId);

  @SqlUpdate(
      """
      insert into command_admissions (task_id, tenant_id, sandbox_id, admitted_at)
      values (:taskId, :tenantId, :sandboxId, now())
      """)
  void admitCommand(String taskId, String tenantId, String sandboxId);

  /** Withdraws an admission whose command did not start (the sandbox refused it). */
  @SqlUpdate("delete from command_admissions where task_id = :taskId")
  void withdrawCommand(String taskId);

  /** Drops the tenant's admissions that no longer count: recorded or lapsed. */
  @SqlUpdate(
      """
      delete from command_admissions a
       where a.tenant_id = :tenantId
         and (a.admitted_at <= now() - interval '60 seconds'
              or exists (select 1 from exec_tasks t where t.id = a.task_id))
      """)
  int forgetSettledAdmissions(String tenantId);

  @SqlQuery("select count(*) from sandboxes where tenant_id = :tenantId and state <> 'destroyed'")
  long liveSandboxes(String tenantId);

  /** Whether the tenant already has a sandbox created under {@code idempotencyKey}. */
  @SqlQuery(
      """
      select exists (select 1 from sandboxes
                      where tenant_id = :tenantId and idempotency_key = :idempotencyKey)
      """)
  boolean hasIdempotencyKey(String tenantId, String idempotencyKey);

  @SqlQuery(
      """
      select coalesce(sum(size_bytes), 0) from archives
       where tenant_id = :tenantId and status <> 'deleted'
      """)
  long archiveBytes(String tenantId);
}
