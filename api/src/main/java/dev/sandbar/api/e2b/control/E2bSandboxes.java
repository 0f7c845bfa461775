package dev.sandbar.api.e2b.control;

import dev.sandbar.api.e2b.EnvdVersion;
import dev.sandbar.api.e2b.SandboxAccessTokens;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.sandbox.SandboxCreation;
import dev.sandbar.api.sandbox.SandboxOperations;
import dev.sandbar.api.sandbox.SandboxPage;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.SandboxState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * E2B's control-plane calls, each carried out by the native API's services (the same validation,
 * quotas and sandbox workflow); this class only translates between E2B's shapes and Sandbar's.
 */
@Service
class E2bSandboxes {

  /** The {@code endAt} of a sandbox without a lifetime (created through the native API). */
  static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

  static final String CLIENT_ID = "sandbar";

  private final SandboxCreation creation;
  private final SandboxQueries queries;
  private final SandboxOperations operations;
  private final SandboxAccessTokens tokens;
  private final E2bSandboxRequests requests;

  E2bSandboxes(
      SandboxCreation creation,
      SandboxQueries queries,
      SandboxOperations operations,
      SandboxAccessTokens tokens,
      E2bSandboxRequests requests) {
    this.creation = creation;
    this.queries = queries;
    this.operations = operations;
    this.tokens = tokens;
    this.requests = requests;
  }

  /**
   * Creates the sandbox and answers once it runs, its lifetime then ending {@code timeout} seconds
   * on (see {@link E2bSandboxRequests#CREATION_ALLOWANCE_SECONDS}). A sandbox that ended in error
   * is a 422 naming it; it is left for the client to inspect or kill, and its lifetime ends it in
   * any case.
   */
  E2bSandbox create(String tenantId, @Nullable E2bNewSandbox body) {
    E2bSandboxRequests.Creation create = requests.create(body);
    SandboxResponse sandbox;
    try {
      sandbox = creation.create(tenantId, create.request(), null);
    } catch (ApiProblem problem) {
      throw E2bSandboxRequests.inE2bTerms(problem);
    }
    if (!SandboxState.RUNNING.wire().equals(sandbox.state())) {
      throw ApiProblem.of(
              ProblemType.CREATE_FAILED,
              "sandbox "
                  + sandbox.id()
                  + " did not start: "
                  + (sandbox.error() == null ? "it is " + sandbox.state() : sandbox.error()))
          .with("sandboxId", sandbox.id());
    }
    operations.setLifetime(
        tenantId, sandbox.id(), new LifetimeChange(create.timeoutSeconds(), false));
    return answer(tenantId, sandbox);
  }

  E2bSandboxDetail get(String tenantId, String id) {
    return detail(visible(tenantId, id), tokens.tokenFor(tenantId, id));
  }

  /**
   * One page of the tenant's running and paused sandboxes, newest first unless {@code oldestFirst}.
   */
  E2bSandboxPage list(
      String tenantId,
      @Nullable Set<E2bStates> states,
      Map<String, String> metadata,
      int limit,
      @Nullable String nextToken,
      boolean oldestFirst) {
    Set<SandboxState> sandbarStates = EnumSet.noneOf(SandboxState.class);
    for (E2bStates state :
        states == null || states.isEmpty() ? Set.of(E2bStates.values()) : states) {
      sandbarStates.addAll(state.sandbarStates());
    }
    SandboxPage page =
        queries.list(tenantId, sandbarStates, metadata, limit, nextToken, !oldestFirst);
    List<E2bSandboxDetail> items =
        page.items().stream().map(sandbox -> detail(sandbox, null)).toList();
    return new E2bSandboxPage(items, page.nextCursor());
  }

  /** Destroys the sandbox; 404 when it does not exist or is already destroyed. */
  void kill(String tenantId, String id) {
    visible(tenantId, id);
    operations.destroy(tenantId, id, false);
  }

  /**
   * E2B's setTimeout: the sandbox is now killed {@code timeout} seconds from now (earlier or later
   * than before), by its workflow's lifetime timer.
   */
  void setTimeout(String tenantId, String id, @Nullable E2bTimeout body) {
    long timeoutSeconds = requests.timeout(body, true);
    visible(tenantId, id);
    operations.setLifetime(tenantId, id, new LifetimeChange(timeoutSeconds, false));
  }

  /** Pauses a running sandbox; 409 (through the workflow's refusal) when it is not running. */
  void pause(String tenantId, String id) {
    visible(tenantId, id);
    operations.pause(tenantId, id);
  }

  /**
   * Makes the sandbox run: a paused one is resumed, a stopped (or failed) one started; a running
   * one is left as it is. Its {@code timeout}, if given, only ever extends the lifetime.
   */
  Connected connect(String tenantId, String id, @Nullable E2bTimeout body) {
    long timeoutSeconds = requests.timeout(body, false);
    SandboxResponse sandbox = visible(tenantId, id);
    SandboxState state = SandboxState.fromWire(sandbox.state());
    boolean resumed = true;
    switch (state) {
      case PAUSED, PAUSING -> sandbox = operations.resume(tenantId, id);
      case STOPPED, STOPPING, ERROR, MISSING -> sandbox = operations.start(tenantId, id);
      default -> resumed = false;
    }
    if (timeoutSeconds > 0) {
      operations.setLifetime(tenantId, id, new LifetimeChange(timeoutSeconds, true));
    }
    return new Connected(answer(tenantId, sandbox), resumed);
  }

  /** A connect's answer and whether it resumed the sandbox (201) or found it running (200). */
  record Connected(E2bSandbox sandbox, boolean resumed) {}

  /** The sandbox unless it is destroyed, which E2B reports like one that never existed. */
  private SandboxResponse visible(String tenantId, String id) {
    SandboxResponse sandbox = queries.get(tenantId, id);
    if (!E2bStates.visible(SandboxState.fromWire(sandbox.state()))) {
      throw ApiProblem.notFound("sandbox " + id + " not found");
    }
    return sandbox;
  }

  private E2bSandbox answer(String tenantId, SandboxResponse sandbox) {
    return new E2bSandbox(
        requests.templateOf(sandbox.image()),
        sandbox.id(),
        CLIENT_ID,
        EnvdVersion.REPORTED,
        tokens.tokenFor(tenantId, sandbox.id()),
        null,
        null);
  }

  private E2bSandboxDetail detail(SandboxResponse sandbox, @Nullable String accessToken) {
    return new E2bSandboxDetail(
        requests.templateOf(sandbox.image()),
        sandbox.id(),
        CLIENT_ID,
        sandbox.createdAt(),
        sandbox.ttlSeconds() > 0 ? sandbox.createdAt().plusSeconds(sandbox.ttlSeconds()) : NEVER,
        EnvdVersion.REPORTED,
        accessToken,
        null,
        (long) Math.ceil(sandbox.resources().cpus()),
        sandbox.resources().memoryMb(),
        0,
        sandbox.labels(),
        E2bStates.of(SandboxState.fromWire(sandbox.state())).wire());
  }
}
