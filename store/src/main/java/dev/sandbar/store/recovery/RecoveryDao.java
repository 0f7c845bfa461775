package dev.sandbar.store.recovery;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What start-up recovery needs to rebuild a sandbox's workflow from the read model. */
@RegisterConstructorMapper(RecoveryDao.LiveSandbox.class)
@RegisterConstructorMapper(RecoveryDao.RunningTask.class)
public interface RecoveryDao {

  /**
   * A sandbox that is not destroyed, with the spec it was created from (JSON: {@code
   * StoredJson.read(spec, SandboxSpec.class)}).
   */
  record LiveSandbox(
      String id,
      String tenantId,
      String hostId,
      String state,
      String containerId,
      String spec,
      long seq,
      String archiveId,
      Instant createdAt) {}

  @SqlQuery(
      """
      select id, tenant_id, host_id, state, container_id, spec::text as spec, seq, archive_id,
             created_at
      from sandboxes
      where state <> 'destroyed' and (host_id = :hostId or (host_id is null and :includeUnplaced))
      order by created_at
      """)
  List<LiveSandbox> liveOn(
      @Bind("hostId") String hostId, @Bind("includeUnplaced") boolean includeUnplaced);

  /**
   * A command the read model still shows running on one of this host's live sandboxes, with what it
   * was launched with ({@code env} a JSON object; {@code env}, {@code timeoutSeconds} and {@code
   * stallSeconds} are null for rows written before they were kept).
   */
  record RunningTask(
      String id,
      String sandboxId,
      String tenantId,
      String sessionId,
      String description,
      String command,
      String cwd,
      boolean background,
      boolean stalled,
      Instant startedAt,
      String env,
      Long timeoutSeconds,
      Long stallSeconds) {}

  @SqlQuery(
      """
      select t.id, t.sandbox_id, t.tenant_id, t.session_id, t.description, t.command, t.cwd,
             t.background, t.stalled, t.started_at, t.env::text as env, t.timeout_seconds,
             t.stall_seconds
      from exec_tasks t join sandboxes s on s.id = t.sandbox_id
      where t.status = 'running' and s.host_id = :hostId and s.state <> 'destroyed'
      order by t.started_at
      """)
  List<RunningTask> runningTasksOn(@Bind("hostId") String hostId);
}
