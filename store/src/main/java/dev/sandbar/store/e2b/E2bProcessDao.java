package dev.sandbar.store.e2b;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jspecify.annotations.Nullable;

/** The pids of commands started through E2B's in-sandbox protocol, scoped by tenant and sandbox. */
@RegisterConstructorMapper(E2bProcessRow.class)
public interface E2bProcessDao {

  String COLUMNS = "pid, tenant_id, sandbox_id, task_id, cmd, args_json, cwd, tag";

  /** The columns of a process joined to its task. */
  String JOINED_COLUMNS =
      "p.pid, p.tenant_id, p.sandbox_id, p.task_id, p.cmd, p.args_json, p.cwd, p.tag";

  /** Gives the task the next pid; the task id is unique, so a task never gets two. */
  @SqlUpdate(
      """
      insert into e2b_processes (tenant_id, sandbox_id, task_id, cmd, args_json, cwd, tag)
      values (:tenantId, :sandboxId, :taskId, :cmd, :argsJson, :cwd, :tag)
      """)
  @GetGeneratedKeys("pid")
  int insert(
      String tenantId,
      String sandboxId,
      String taskId,
      String cmd,
      String argsJson,
      @Nullable String cwd,
      @Nullable String tag);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from e2b_processes where tenant_id = :tenantId and sandbox_id = :sandboxId"
          + " and pid = :pid")
  Optional<E2bProcessRow> byPid(String tenantId, String sandboxId, int pid);

  /** The newest process with the tag whose task still runs, as E2B's envd resolves a tag. */
  @SqlQuery(
      "select "
          + JOINED_COLUMNS
          + " from e2b_processes p join exec_tasks t on t.id = p.task_id"
          + " where p.tenant_id = :tenantId and p.sandbox_id = :sandboxId and p.tag = :tag"
          + " and t.status = 'running' order by p.pid desc limit 1")
  Optional<E2bProcessRow> runningByTag(String tenantId, String sandboxId, String tag);

  /** The sandbox's processes whose tasks still run, by pid. */
  @SqlQuery(
      "select "
          + JOINED_COLUMNS
          + " from e2b_processes p join exec_tasks t on t.id = p.task_id"
          + " where p.tenant_id = :tenantId and p.sandbox_id = :sandboxId"
          + " and t.status = 'running' order by p.pid")
  List<E2bProcessRow> running(String tenantId, String sandboxId);
}
