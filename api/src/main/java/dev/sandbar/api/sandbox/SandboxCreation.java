package dev.sandbar.api.sandbox;

import dev.sandbar.api.archive.ArchiveService;
import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.metrics.OperationTimers;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.quota.QuotaService;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.WorkflowProblems;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.sandbox.NewSandbox;
import dev.sandbar.store.sandbox.SandboxDao;
import dev.sandbar.store.sandbox.SandboxRow;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Creates sandboxes: validates the request, writes the row, starts the sandbox's workflow and, when
 * asked, waits for it to settle. Idempotent per tenant and {@code Idempotency-Key}.
 */
@Service
public class SandboxCreation {

  private static final Logger log = LoggerFactory.getLogger(SandboxCreation.class);

  /** How the sandbox workflow words a failed restore: {@code restore failed: <why>}. */
  private static final String RESTORE_FAILED = "restore failed";

  private final SandboxDao dao;
  private final SandboxQueries queries;
  private final TemporalGateway temporal;
  private final SandbarApiProperties properties;
  private final ArchiveService archives;
  private final RequestDefaults requests;
  private final PlacementCheck placement;
  private final OperationTimers timers;
  private final NetworkPolicy networks;
  private final QuotaService quotas;
  private final IdempotencyKeys idempotency;

  SandboxCreation(
      Jdbi jdbi,
      SandboxQueries queries,
      TemporalGateway temporal,
      SandbarApiProperties properties,
      ArchiveService archives,
      RequestDefaults requests,
      PlacementCheck placement,
      OperationTimers timers,
      NetworkPolicy networks,
      QuotaService quotas,
      IdempotencyKeys idempotency) {
    this.timers = timers;
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(SandboxDao.class);
    this.queries = queries;
    this.temporal = temporal;
    this.properties = properties;
    this.archives = archives;
    this.requests = requests;
    this.placement = placement;
    this.networks = networks;
    this.quotas = quotas;
    this.idempotency = idempotency;
  }

  /**
   * Creates a sandbox: the row first (so the sandbox is listed at once and its workflow's first
   * write has a row to move forward), then its workflow. A retried request with the same
   * idempotency key gets the answer the first one got (or, if that one never finished, the sandbox
   * it created); another request with the same key is a 422.
   */
  public SandboxResponse create(
      String tenantId, @Nullable CreateSandboxRequest request, @Nullable String idempotencyKey) {
    CreateSandboxRequest body = request == null ? CreateSandboxRequest.DEFAULTS : request;
    SandboxSpec spec =
        SandboxRequestValidator.validate(body, properties.defaultImage(), requests, networks);
    boolean wait = Boolean.TRUE.equals(body.waitUntilSettled());
    String requestHash = null;
    if (idempotencyKey != null) {
      IdempotencyKeys.requireWellFormed(idempotencyKey);
      requestHash = IdempotencyKeys.hash(body);
      idempotency.releaseExpired(tenantId, idempotencyKey);
      Optional<SandboxRow> earlier = dao.findByIdempotencyKey(tenantId, idempotencyKey);
      if (earlier.isPresent()) {
        return replay(earlier.get(), wait, idempotencyKey, requestHash);
      }
    }
    if (spec.restoreFrom() != null) {
      archives.requireRestorable(tenantId, spec.restoreFrom());
    }
    if (!dao.imageAvailable(spec.image())) {
      throw ApiProblem.invalid(
          "image",
          "is not available on any online host",
          "image " + spec.image() + " is not available on any host");
    }
    placement.requireRoom(spec);

    String id = RandomIds.lowerAlphanumeric("sb-", 20);
    // Milliseconds: the workflow keeps creation time in ms, and both sides must agree.
    Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    NewSandbox row =
        new NewSandbox(
            id,
            tenantId,
            spec.image(),
            spec.resources().cpus(),
            spec.resources().memoryMb(),
            StoredJson.write(spec),
            StoredJson.write(spec.labels()),
            idempotencyKey,
            createdAt,
            requestHash);
    // The tenant's sandbox quota is judged and the row inserted in one transaction.
    if (!quotas.admitSandbox(row)) {
      // A concurrent request with the same key inserted first; answer with its sandbox.
      return replay(
          dao.findByIdempotencyKey(tenantId, idempotencyKey).orElseThrow(),
          wait,
          idempotencyKey,
          requestHash);
    }
    try {
      startWorkflow(id, tenantId, spec, createdAt);
    } catch (RuntimeException e) {
      dao.deleteUnstarted(id);
      log.warn("could not start the workflow of sandbox {}; its row is removed", id, e);
      throw ApiProblem.unavailable(
          "the sandbox could not be started because Temporal is unreachable; nothing was"
              + " created, retry later");
    }
    if (!wait) {
      return answered(idempotencyKey, queries.get(tenantId, id));
    }
    SandboxResponse settled = awaitSettled(id);
    // From the request to the settled transition, as the sandbox's own timestamps say.
    timers.record(
        "create",
        "running".equals(settled.state()) ? "ok" : "failed",
        Duration.between(createdAt, settled.updatedAt()));
    return answered(idempotencyKey, settled);
  }

  private SandboxResponse answered(@Nullable String idempotencyKey, SandboxResponse answer) {
    if (idempotencyKey != null) {
      idempotency.remember(answer);
    }
    return answer;
  }

  /**
   * The answer to a repeated create: the first answer when there is one (a 422 for another request
   * under the key). If the first attempt died between its insert and its workflow start, starting
   * now completes it; otherwise the start is refused as a duplicate and nothing happens, so a key
   * never yields two workflows.
   */
  private SandboxResponse replay(
      SandboxRow row, boolean wait, String idempotencyKey, String requestHash) {
    Optional<SandboxResponse> stored =
        idempotency.storedAnswer(row.tenantId(), idempotencyKey, requestHash);
    if (stored.isPresent()) {
      return stored.get();
    }
    if (row.isUnstarted()) {
      try {
        startWorkflow(
            row.id(),
            row.tenantId(),
            StoredJson.read(row.spec(), SandboxSpec.class),
            row.createdAt().truncatedTo(ChronoUnit.MILLIS));
      } catch (RuntimeException e) {
        throw WorkflowProblems.unavailable(e);
      }
    }
    if (wait && !row.isDestroyed()) {
      return answered(idempotencyKey, awaitSettled(row.id()));
    }
    return answered(idempotencyKey, queries.get(row.tenantId(), row.id()));
  }

  private void startWorkflow(String id, String tenantId, SandboxSpec spec, Instant createdAt) {
    temporal.startSandbox(
        new SandboxWorkflowInput(id, tenantId, spec, createdAt.toEpochMilli(), null));
  }

  /**
   * Waits for a new sandbox to settle. A restore that failed (a corrupt or unsafe archive, say) is
   * the client's problem to fix, not a sandbox to keep using: the workflow has already removed the
   * container, so the answer is a 422 naming the sandbox left in {@code error}.
   */
  private SandboxResponse awaitSettled(String id) {
    SandboxView view;
    try {
      view = temporal.sandbox(id).awaitSettled();
    } catch (RuntimeException e) {
      throw WorkflowProblems.translate(e);
    }
    if (view.state() == SandboxState.ERROR
        && view.spec().restoreFrom() != null
        && view.error() != null
        && view.error().startsWith(RESTORE_FAILED)) {
      throw ApiProblem.of(
              ProblemType.CREATE_FAILED, "sandbox " + id + " could not be created: " + view.error())
          .with("sandboxId", id);
    }
    return SandboxResponse.of(view);
  }
}
