package dev.sandbar.api.sandbox;

import dev.sandbar.api.archive.ArchiveService;
import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.Failures;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.problem.WorkflowProblems;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.sandbox.NewSandbox;
import dev.sandbar.store.sandbox.SandboxDao;
import dev.sandbar.store.sandbox.SandboxRow;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sandboxes for one tenant at a time. Reads come from the read model in PostgreSQL; every change
 * goes through the sandbox's workflow, which validates it against the sandbox's real state and
 * answers once it is done. Public for {@link #stuck}, which the operations resource uses.
 */
@Service
public class SandboxService {

  private static final Logger log = LoggerFactory.getLogger(SandboxService.class);

  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 200;
  private static final int MAX_IDEMPOTENCY_KEY = 255;

  /** How the sandbox workflow words a failed restore: {@code restore failed: <why>}. */
  private static final String RESTORE_FAILED = "restore failed";

  private final SandboxDao dao;
  private final WorkflowClient temporal;
  private final SandbarApiProperties properties;
  private final ArchiveService archives;

  SandboxService(
      Jdbi jdbi,
      WorkflowClient temporal,
      SandbarApiProperties properties,
      ArchiveService archives) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(SandboxDao.class);
    this.temporal = temporal;
    this.properties = properties;
    this.archives = archives;
  }

  /**
   * Creates a sandbox: the row first (so the sandbox is listed at once and its workflow's first
   * write has a row to move forward), then its workflow. A retried request with the same
   * idempotency key answers with the sandbox the first one created.
   */
  SandboxResponse create(
      String tenantId, @Nullable CreateSandboxRequest request, @Nullable String idempotencyKey) {
    CreateSandboxRequest body = request == null ? CreateSandboxRequest.DEFAULTS : request;
    SandboxSpec spec = SandboxRequestValidator.validate(body, properties.defaultImage());
    boolean wait = Boolean.TRUE.equals(body.waitUntilSettled());
    if (idempotencyKey != null) {
      if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
        throw ApiProblem.invalid("Idempotency-Key", "must be 1-255 characters");
      }
      Optional<SandboxRow> earlier = dao.findByIdempotencyKey(tenantId, idempotencyKey);
      if (earlier.isPresent()) {
        return replay(earlier.get(), wait);
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
            createdAt);
    if (dao.insert(row) == 0) {
      // A concurrent request with the same key inserted first; answer with its sandbox.
      return replay(dao.findByIdempotencyKey(tenantId, idempotencyKey).orElseThrow(), wait);
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
    return wait ? awaitSettled(id) : SandboxResponse.of(require(tenantId, id));
  }

  /**
   * The answer to a repeated create. If the first attempt died between its insert and its workflow
   * start, starting now completes it; otherwise the start is refused as a duplicate and nothing
   * happens, so a key never yields two workflows.
   */
  private SandboxResponse replay(SandboxRow row, boolean wait) {
    if (row.isUnstarted()) {
      try {
        startWorkflow(
            row.id(),
            row.tenantId(),
            StoredJson.read(row.spec(), SandboxSpec.class),
            row.createdAt().truncatedTo(ChronoUnit.MILLIS));
      } catch (RuntimeException e) {
        throw unavailable(e);
      }
    }
    if (wait && !row.isDestroyed()) {
      return awaitSettled(row.id());
    }
    return SandboxResponse.of(require(row.tenantId(), row.id()));
  }

  private void startWorkflow(String id, String tenantId, SandboxSpec spec, Instant createdAt) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(SandboxWorkflow.workflowId(id))
            .setTaskQueue(TaskQueues.CONTROL)
            // A sandbox id is never reused, not even after its workflow has ended.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .build();
    SandboxWorkflow workflow = temporal.newWorkflowStub(SandboxWorkflow.class, options);
    try {
      WorkflowClient.start(
          workflow::run,
          new SandboxWorkflowInput(id, tenantId, spec, createdAt.toEpochMilli(), null));
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // Started by a concurrent retry of the same request: the sandbox exists, which is the goal.
    }
  }

  /**
   * Waits for a new sandbox to settle. A restore that failed (a corrupt or unsafe archive, say) is
   * the client's problem to fix, not a sandbox to keep using: the workflow has already removed the
   * container, so the answer is a 422 naming the sandbox left in {@code error}.
   */
  private SandboxResponse awaitSettled(String id) {
    SandboxView view;
    try {
      view = stub(id).awaitSettled();
    } catch (RuntimeException e) {
      throw translate(e);
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

  /** The sandbox as the read model has it; 404 when it is not the tenant's. */
  public SandboxResponse get(String tenantId, String id) {
    return SandboxResponse.of(require(tenantId, id));
  }

  SandboxPage list(
      String tenantId,
      @Nullable String state,
      @Nullable List<String> labelFilters,
      @Nullable Integer limit,
      @Nullable String cursor) {
    int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw ApiProblem.invalid("limit", "must be between 1 and " + MAX_PAGE_SIZE);
    }
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
    PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
    List<SandboxRow> rows =
        dao.page(
            tenantId,
            state,
            StoredJson.write(labels),
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<SandboxRow> page = more ? rows.subList(0, pageSize) : rows;
    String next =
        more ? new PageCursor(page.getLast().createdAt(), page.getLast().id()).encode() : null;
    return new SandboxPage(page.stream().map(SandboxResponse::of).toList(), next);
  }

  SandboxEvents events(String tenantId, String id) {
    require(tenantId, id);
    return new SandboxEvents(dao.events(tenantId, id));
  }

  SandboxResponse start(String tenantId, String id) {
    return operate(tenantId, id, workflow -> workflow.start(userOperation()));
  }

  SandboxResponse stop(String tenantId, String id) {
    return operate(tenantId, id, workflow -> workflow.stop(userOperation()));
  }

  SandboxResponse pause(String tenantId, String id) {
    return operate(tenantId, id, workflow -> workflow.pause(userOperation()));
  }

  SandboxResponse resume(String tenantId, String id) {
    return operate(tenantId, id, workflow -> workflow.resume(userOperation()));
  }

  SandboxResponse restart(String tenantId, String id) {
    return operate(tenantId, id, workflow -> workflow.restart(userOperation()));
  }

  /** Pushes the idle timer out. The answer is the read model, which a touch does not change. */
  SandboxResponse touch(String tenantId, String id) {
    SandboxRow row = require(tenantId, id);
    if (row.isDestroyed()) {
      throw destroyed(id);
    }
    try {
      stub(id).touch();
    } catch (RuntimeException e) {
      if (isClosed(e)) {
        throw closedWorkflow(tenantId, id);
      }
      throw translate(e);
    }
    return SandboxResponse.of(require(tenantId, id));
  }

  /** Destroys the sandbox; destroying a destroyed sandbox answers with it, unchanged. */
  SandboxResponse destroy(String tenantId, String id, boolean preserveData) {
    SandboxRow row = require(tenantId, id);
    if (row.isDestroyed()) {
      return SandboxResponse.of(row);
    }
    try {
      return SandboxResponse.of(
          stub(id).destroy(new DestroyRequest(Actor.USER, null, preserveData)));
    } catch (RuntimeException e) {
      if (isClosed(e) || isInvalidState(e)) {
        SandboxRow now = require(tenantId, id);
        if (now.isDestroyed()) {
          return SandboxResponse.of(now);
        }
      }
      if (isClosed(e)) {
        throw closedWorkflow(tenantId, id);
      }
      throw translate(e);
    }
  }

  /**
   * Starts a command in the sandbox through its workflow, which refuses unless the sandbox is (and
   * stays) running: that refusal is a 409 naming the state the sandbox is in.
   */
  public ExecTicket exec(String tenantId, String id, ExecRequest request) {
    return call(
        tenantId,
        id,
        () -> {
          try {
            return stub(id).exec(request);
          } catch (RuntimeException e) {
            if (WorkflowProblems.isRejectedForState(e)) {
              // The exec validator's only rejection for state is SANDBOX_NOT_RUNNING, even when
              // the SDK has lost the type (see WorkflowProblems): its message names the state.
              throw ApiProblem.of(
                  ProblemType.SANDBOX_NOT_RUNNING,
                  WorkflowProblems.applicationFailure(e).orElseThrow().getOriginalMessage());
            }
            throw e;
          }
        });
  }

  /** Archives the data path, leaving the sandbox as it was; answers the new archive's id. */
  public String snapshot(String tenantId, String id) {
    SandboxView view = call(tenantId, id, () -> stub(id).snapshot(userOperation()));
    if (view.archiveId() == null) {
      throw ApiProblem.of(ProblemType.OPERATION_FAILED, "the snapshot recorded no archive");
    }
    return view.archiveId();
  }

  /** The operations resource's view: every tenant's when {@code tenantId} is null. */
  public List<SandboxResponse> stuck(@Nullable String tenantId, long olderThanSeconds) {
    return dao.stuck(tenantId, olderThanSeconds).stream().map(SandboxResponse::of).toList();
  }

  private SandboxResponse operate(
      String tenantId, String id, Function<SandboxWorkflow, SandboxView> operation) {
    return SandboxResponse.of(call(tenantId, id, () -> operation.apply(stub(id))));
  }

  /** Runs {@code update} against the tenant's sandbox, which must not be destroyed. */
  private <T> T call(String tenantId, String id, Supplier<T> update) {
    SandboxRow row = require(tenantId, id);
    if (row.isDestroyed()) {
      throw destroyed(id);
    }
    try {
      return update.get();
    } catch (RuntimeException e) {
      if (isClosed(e)) {
        throw closedWorkflow(tenantId, id);
      }
      throw translate(e);
    }
  }

  /** The workflow has ended: normally because the sandbox was destroyed meanwhile. */
  private ApiProblem closedWorkflow(String tenantId, String id) {
    if (require(tenantId, id).isDestroyed()) {
      return destroyed(id);
    }
    return ApiProblem.unavailable(
        "sandbox " + id + " has no running workflow; retry once its worker has recovered it");
  }

  /** A row another tenant owns is reported exactly like a missing one. */
  private SandboxRow require(String tenantId, String id) {
    return dao.find(tenantId, id)
        .orElseThrow(() -> ApiProblem.notFound("sandbox " + id + " not found"));
  }

  private SandboxWorkflow stub(String id) {
    return temporal.newWorkflowStub(SandboxWorkflow.class, SandboxWorkflow.workflowId(id));
  }

  private static Operation userOperation() {
    return Operation.user();
  }

  private static ApiProblem destroyed(String id) {
    return ApiProblem.invalidState("sandbox " + id + " is destroyed");
  }

  private static boolean isClosed(RuntimeException e) {
    return WorkflowProblems.isClosed(e);
  }

  private static boolean isInvalidState(RuntimeException e) {
    return e instanceof WorkflowUpdateException
        && WorkflowProblems.isRejectedForState(e)
        && !WorkflowProblems.hasType(e, ErrorType.SANDBOX_NOT_RUNNING);
  }

  /**
   * Maps what an update, signal or start threw: a rejected or failed operation becomes the matching
   * problem (see {@link WorkflowProblems}); an unreachable Temporal a 503; anything else goes to
   * the generic handler.
   */
  private static RuntimeException translate(RuntimeException e) {
    if (e instanceof ApiProblem) {
      return e;
    }
    if (e instanceof WorkflowUpdateException update) {
      return WorkflowProblems.applicationFailure(update)
          .map(WorkflowProblems::problem)
          .orElseGet(
              () -> ApiProblem.of(ProblemType.OPERATION_FAILED, "the operation did not complete"));
    }
    if (Failures.isUnavailable(e)) {
      return unavailable(e);
    }
    return e;
  }

  private static ApiProblem unavailable(RuntimeException e) {
    if (e instanceof ApiProblem problem) {
      return problem;
    }
    log.warn("Temporal call failed", e);
    return ApiProblem.unavailable("Temporal cannot be reached; retry later");
  }

  private static boolean isStateName(String state) {
    return Arrays.stream(SandboxState.values()).anyMatch(s -> s.wire().equals(state));
  }
}
