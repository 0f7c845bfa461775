package dev.sandbar.api.testworker;

import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.Transition;
import java.time.Instant;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * A stand-in for the activities module (which the API must not depend on): writes transitions to
 * the same tables, the same way, so the API reads what a real worker would have written.
 */
public final class DatabaseStoreActivities implements StoreActivities {

  private final Jdbi jdbi;
  private final String hostId;

  public DatabaseStoreActivities(Jdbi jdbi, String hostId) {
    this.jdbi = jdbi;
    this.hostId = hostId;
  }

  @Override
  public void recordTransition(Transition t) {
    jdbi.useTransaction(
        handle -> {
          handle
              .createUpdate(
                  """
                  update sandboxes
                     set state = :state, host_id = :hostId, container_id = :containerId,
                         error = :error, seq = :seq, updated_at = :at,
                         last_activity_at = :lastActivityAt, archive_id = :archiveId
                   where id = :id and seq < :seq
                  """)
              .bind("state", t.to().wire())
              .bind("hostId", t.hostId())
              .bind("containerId", t.containerId())
              .bind("error", t.error())
              .bind("seq", t.seq())
              .bind("at", Instant.ofEpochMilli(t.atMs()))
              .bind("lastActivityAt", Instant.ofEpochMilli(t.lastActivityAtMs()))
              .bind("archiveId", t.archiveId())
              .bind("id", t.sandboxId())
              .execute();
          handle
              .createUpdate(
                  """
                  insert into audit_events (id, sandbox_id, tenant_id, seq, actor, action,
                                            from_state, to_state, reason, outcome, error, at)
                  values (:id, :sandboxId, :tenantId, :seq, :actor, :action, :from, :to, :reason,
                          :outcome, :error, :at)
                  on conflict (id) do nothing
                  """)
              .bind("id", t.eventId())
              .bind("sandboxId", t.sandboxId())
              .bind("tenantId", t.tenantId())
              .bind("seq", t.seq())
              .bind("actor", t.actor().name().toLowerCase(Locale.ROOT))
              .bind("action", t.action())
              .bind("from", t.from() == null ? null : t.from().wire())
              .bind("to", t.to().wire())
              .bind("reason", t.reason())
              .bind("outcome", t.outcome())
              .bind("error", t.error())
              .bind("at", Instant.ofEpochMilli(t.atMs()))
              .execute();
        });
  }

  @Override
  public String placeSandbox(Placement placement) {
    return hostId;
  }
}
