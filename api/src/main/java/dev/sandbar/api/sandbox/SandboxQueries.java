package dev.sandbar.api.sandbox;

import dev.sandbar.api.paging.PageCursor;
import dev.sandbar.api.paging.PageSlice;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.sandbox.SandboxDao;
import dev.sandbar.store.sandbox.SandboxRow;
import dev.sandbar.workflows.model.SandboxState;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Reads a tenant's sandboxes from the read model in PostgreSQL; no read asks Temporal. Public for
 * {@link #get}, which the exec resource uses to scope its reads, and {@link #stuck} and {@link
 * #find}, which the operations resource uses.
 */
@Service
public class SandboxQueries {

  private final SandboxDao dao;

  SandboxQueries(Jdbi jdbi) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(SandboxDao.class);
  }

  /** The sandbox as the read model has it; 404 when it is not the tenant's. */
  public SandboxResponse get(String tenantId, String id) {
    return SandboxResponse.of(require(tenantId, id));
  }

  public SandboxPage list(
      String tenantId,
      @Nullable String state,
      @Nullable List<String> labelFilters,
      @Nullable Integer limit,
      @Nullable String cursor) {
    if (state != null && !isStateName(state)) {
      throw ApiProblem.invalid("state", "is not a sandbox state");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String filter : labelFilters == null ? List.<String>of() : labelFilters) {
      int equals = filter.indexOf('=');
      if (equals <= 0) {
        throw ApiProblem.invalid("label", "must have the form key=value");
      }
      labels.put(filter.substring(0, equals), filter.substring(equals + 1));
    }
    return list(
        tenantId,
        state == null ? null : Set.of(SandboxState.fromWire(state)),
        labels,
        PageSlice.size(limit),
        cursor,
        false);
  }

  /**
   * A page of the tenant's sandboxes in any of {@code states} (all when null) carrying every one of
   * {@code labels}, oldest (or newest) first, after {@code cursor}.
   */
  public SandboxPage list(
      String tenantId,
      @Nullable Set<SandboxState> states,
      Map<String, String> labels,
      int pageSize,
      @Nullable String cursor,
      boolean newestFirst) {
    PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
    String[] stateNames =
        states == null ? null : states.stream().map(SandboxState::wire).toArray(String[]::new);
    Instant afterCreatedAt = after == null ? null : after.createdAt();
    String afterId = after == null ? null : after.id();
    List<SandboxRow> rows =
        newestFirst
            ? dao.pageNewestFirst(
                tenantId,
                stateNames,
                StoredJson.write(labels),
                afterCreatedAt,
                afterId,
                pageSize + 1)
            : dao.page(
                tenantId,
                stateNames,
                StoredJson.write(labels),
                afterCreatedAt,
                afterId,
                pageSize + 1);
    PageSlice<SandboxRow> page =
        PageSlice.of(rows, pageSize, row -> new PageCursor(row.createdAt(), row.id()));
    return new SandboxPage(
        page.items().stream().map(SandboxResponse::of).toList(), page.nextCursor());
  }

  SandboxEvents events(String tenantId, String id) {
    require(tenantId, id);
    return new SandboxEvents(dao.events(tenantId, id));
  }

  /** The operations resource's view: every tenant's when {@code tenantId} is null. */
  public List<SandboxResponse> stuck(@Nullable String tenantId, long olderThanSeconds) {
    return dao.stuck(tenantId, olderThanSeconds).stream().map(SandboxResponse::of).toList();
  }

  /** The sandbox if the tenant owns it; any tenant's when {@code tenantId} is null (the admin). */
  public Optional<SandboxResponse> find(@Nullable String tenantId, String id) {
    return (tenantId == null ? dao.findAnyTenant(id) : dao.find(tenantId, id))
        .map(SandboxResponse::of);
  }

  /** A row another tenant owns is reported exactly like a missing one. */
  SandboxRow require(String tenantId, String id) {
    return dao.find(tenantId, id)
        .orElseThrow(() -> ApiProblem.notFound("sandbox " + id + " not found"));
  }

  /** Any tenant's sandbox, for the admin key; 404 when there is none. */
  SandboxRow requireAnyTenant(String id) {
    return dao.findAnyTenant(id)
        .orElseThrow(() -> ApiProblem.notFound("sandbox " + id + " not found"));
  }

  private static boolean isStateName(String state) {
    return Arrays.stream(SandboxState.values()).anyMatch(s -> s.wire().equals(state));
  }
}
