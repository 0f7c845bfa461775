package dev.sandbar.api.archive;

import dev.sandbar.api.paging.PageCursor;
import dev.sandbar.api.paging.PageSlice;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.store.archive.ArchiveDao;
import dev.sandbar.store.archive.ArchiveRow;
import dev.sandbar.workflows.archive.ArchiveDeletionWorkflow;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Archives for one tenant at a time. Public because creating a sandbox from an archive checks the
 * archive here first, and a snapshot of a sandbox answers with the archive it made.
 */
@Service
public class ArchiveService {

  private final ArchiveDao dao;
  private final TemporalGateway temporal;

  ArchiveService(Jdbi jdbi, TemporalGateway temporal) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(ArchiveDao.class);
    this.temporal = temporal;
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

  /** The archive; 404 when it is not the tenant's. */
  public ArchiveResponse get(String tenantId, String id) {
    return ArchiveResponse.of(require(tenantId, id));
  }

  ArchivePage list(String tenantId, @Nullable Integer limit, @Nullable String cursor) {
    int pageSize = PageSlice.size(limit);
    PageCursor before = cursor == null ? null : PageCursor.decode(cursor);
    List<ArchiveRow> rows =
        dao.page(
            tenantId,
            before == null ? null : before.createdAt(),
            before == null ? null : before.id(),
            pageSize + 1);
    PageSlice<ArchiveRow> page =
        PageSlice.of(rows, pageSize, row -> new PageCursor(row.createdAt(), row.id()));
    return new ArchivePage(
        page.items().stream().map(ArchiveResponse::of).toList(), page.nextCursor());
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
    try {
      temporal.startArchiveDeletion(id, row.hostId());
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
