package dev.sandbar.api.archive;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.sandbox.PageCursor;
import dev.sandbar.store.archive.ArchiveDao;
import dev.sandbar.store.archive.ArchiveRow;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.archive.ArchiveDeletionWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Archives for one tenant at a time. Public because creating a sandbox from an archive checks the
 * archive here first.
 */
@Service
public class ArchiveService {

  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 200;

  private final ArchiveDao dao;
  private final WorkflowClient client;

  ArchiveService(Jdbi jdbi, WorkflowClient client) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(ArchiveDao.class);
    this.client = client;
  }

  /**
   * Rejects (400) a {@code restoreFrom} that is not a ready archive of the tenant, before anything
   * is written. Another tenant's archive gets the same answer as a missing one. The workflow checks
   * again when it restores, since the archive may be deleted in between.
   */
  public void requireRestorable(String tenantId, String archiveId) {
    ArchiveRow row = dao.find(tenantId, archiveId).orElse(null);
    if (row == null) {
      throw ApiProblem.invalid(
          "restoreFrom", "no such archive", "restoreFrom: archive " + archiveId + " not found");
    }
    if (!ArchiveRow.READY.equals(row.status())) {
      throw ApiProblem.invalid(
          "restoreFrom",
          "archive is " + row.status(),
          "restoreFrom: archive " + archiveId + " is " + row.status() + " and cannot be restored");
    }
  }

  ArchiveResponse get(String tenantId, String id) {
    return ArchiveResponse.of(require(tenantId, id));
  }

  ArchivePage list(String tenantId, @Nullable Integer limit, @Nullable String cursor) {
    int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw ApiProblem.invalid("limit", "must be between 1 and " + MAX_PAGE_SIZE);
    }
    PageCursor before = cursor == null ? null : PageCursor.decode(cursor);
    List<ArchiveRow> rows =
        dao.page(
            tenantId,
            before == null ? null : before.createdAt(),
            before == null ? null : before.id(),
            pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<ArchiveRow> page = more ? rows.subList(0, pageSize) : rows;
    String next =
        more ? new PageCursor(page.getLast().createdAt(), page.getLast().id()).encode() : null;
    return new ArchivePage(page.stream().map(ArchiveResponse::of).toList(), next);
  }

  /**
   * Marks the archive deleted: from then on it is neither listed nor restorable. The file is
   * removed by an {@link ArchiveDeletionWorkflow} on the host that holds it, after the longest a
   * restore that already read the row may still be streaming it. If that workflow cannot be started
   * the mark is undone, so a failed request changes nothing. Deleting a deleted archive succeeds
   * again, so a retried request is harmless.
   */
  void delete(String tenantId, String id) {
    ArchiveRow row = dao.find(tenantId, id).orElse(null);
    if (row == null) {
      if (dao.existsInAnyStatus(tenantId, id)) {
        return;
      }
      throw notFound(id);
    }
    if (dao.markDeleted(tenantId, id) == 0) {
      return;
    }
    if (row.hostId() == null) {
      return;
    }
    ArchiveDeletionWorkflow deletion =
        client.newWorkflowStub(
            ArchiveDeletionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(ArchiveDeletionWorkflow.workflowId(id))
                .setTaskQueue(TaskQueues.CONTROL)
                .build());
    try {
      WorkflowClient.start(
          deletion::delete, new ArchiveDeletionWorkflow.ArchiveDeletion(id, row.hostId()));
    } catch (WorkflowExecutionAlreadyStarted alreadyScheduled) {
      // A retried request: the file's removal is already scheduled.
    } catch (RuntimeException temporalUnavailable) {
      dao.restoreStatus(tenantId, id, row.status());
      throw temporalUnavailable;
    }
  }

  /** An archive another tenant owns is reported exactly like a missing one. */
  ArchiveRow require(String tenantId, String id) {
    return dao.find(tenantId, id).orElseThrow(() -> notFound(id));
  }

  private static ApiProblem notFound(String id) {
    return ApiProblem.notFound("archive " + id + " not found");
  }
}
