package dev.sandbar.activities.database;

import dev.sandbar.store.audit.AuditDao;
import dev.sandbar.store.audit.AuditEvent;
import dev.sandbar.store.host.HostAllocation;
import dev.sandbar.store.host.HostChoice;
import dev.sandbar.store.host.HostRegistration;
import dev.sandbar.store.host.HostRegistryDao;
import dev.sandbar.store.sandbox.SandboxStatus;
import dev.sandbar.store.sandbox.SandboxStatusDao;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.Relocation;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxLifetime;
import dev.sandbar.workflows.model.Transition;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** {@link StoreActivities} over PostgreSQL, plus the host bookkeeping a worker does for itself. */
public class JdbiStoreActivities implements StoreActivities {

  /**
   * A host whose worker has not heartbeated for this long gets no new sandboxes. Several missed
   * heartbeats, so one slow beat does not take a host out of placement.
   */
  public static final Duration HEARTBEAT_FRESHNESS = Duration.ofSeconds(60);

  private final Jdbi jdbi;
  private final double cpuRequestFraction;
  private final double memoryRequestFraction;

  /** Placement with the default request fractions of {@link Resources}. */
  public JdbiStoreActivities(Jdbi jdbi) {
    this(jdbi, Resources.DEFAULT_CPU_REQUEST_FRACTION, Resources.DEFAULT_MEMORY_REQUEST_FRACTION);
  }

  /**
   * @param cpuRequestFraction share of its CPU limit a sandbox without a recorded request holds
   *     (specs written before requests existed; the API fills requests in new specs)
   * @param memoryRequestFraction the same for memory
   */
  public JdbiStoreActivities(Jdbi jdbi, double cpuRequestFraction, double memoryRequestFraction) {
    this.jdbi = jdbi;
    this.cpuRequestFraction = cpuRequestFraction;
    this.memoryRequestFraction = memoryRequestFraction;
  }

  /**
   * {@inheritDoc}
   *
   * <p>When the sandbox row does not exist (recovery started a workflow for a sandbox whose row was
   * lost) only the audit event is written.
   */
  @Override
  public void recordTransition(Transition t) {
    AuditEvent event =
        new AuditEvent(
            t.eventId(),
            t.sandboxId(),
            t.tenantId(),
            t.seq(),
            t.actor().name().toLowerCase(Locale.ROOT),
            t.action(),
            t.from() == null ? null : t.from().wire(),
            t.to().wire(),
            t.reason(),
            t.outcome(),
            t.error(),
            Instant.ofEpochMilli(t.atMs()));
    SandboxStatus status =
        new SandboxStatus(
            t.sandboxId(),
            t.to().wire(),
            t.hostId(),
            t.containerId(),
            t.error(),
            t.seq(),
            t.archiveId(),
            Instant.ofEpochMilli(t.atMs()),
            // 0 is what a workflow holds before the sandbox ever ran: unknown, not 1970.
            t.lastActivityAtMs() > 0 ? Instant.ofEpochMilli(t.lastActivityAtMs()) : null);
    jdbi.useTransaction(
        handle -> {
          handle.attach(AuditDao.class).insert(event);
          handle.attach(SandboxStatusDao.class).applyIfNewer(status);
        });
  }

  @Override
  public void recordLifetime(SandboxLifetime lifetime) {
    jdbi.useExtension(
        SandboxStatusDao.class,
        dao -> dao.setTtlSeconds(lifetime.sandboxId(), lifetime.ttlSeconds()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Once the sandbox row holds a host, every later call returns that host, so a retry after a
   * lost answer cannot move a sandbox. Without a row (recovery) a retry may choose again. Only a
   * host that already holds the image is chosen, since images are never pulled. What counts is the
   * sandbox's requests, not its limits (see {@link HostChoice}); the chosen host and the requests
   * are written to the row in the same transaction.
   */
  @Override
  public String placeSandbox(Placement placement) {
    return place(placement, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Once the sandbox row holds a host other than {@code fromHostId}, every later call returns
   * that host.
   */
  @Override
  public String relocateSandbox(Relocation relocation) {
    return place(relocation.placement(), relocation.fromHostId());
  }

  /** Places the sandbox on a host other than {@code excluded} (null: any host). */
  private String place(Placement placement, String excluded) {
    Resources wanted = placement.resources() == null ? Resources.DEFAULT : placement.resources();
    HostChoice.Request request =
        new HostChoice.Request(
            wanted.effectiveRequestCpus(cpuRequestFraction),
            wanted.effectiveRequestMemoryMb(memoryRequestFraction),
            placement.hostLabels());
    String[] imageNames = namesOf(placement.image());
    String noHost =
        "no online host"
            + (excluded == null ? "" : " other than " + excluded)
            + (placement.image() == null ? "" : " has image " + placement.image());
    // READ COMMITTED on purpose: the capacity query must run on a snapshot taken after the host
    // locks are granted, so it sees the sandboxes that the placement we waited for just committed.
    HostChoice.Outcome outcome =
        jdbi.inTransaction(
            TransactionIsolationLevel.READ_COMMITTED,
            handle -> {
              SandboxStatusDao sandboxes = handle.attach(SandboxStatusDao.class);
              Optional<SandboxStatus> row = sandboxes.lock(placement.sandboxId());
              if (row.isPresent()
                  && row.get().hostId() != null
                  && !row.get().hostId().equals(excluded)) {
                return HostChoice.Outcome.chosen(row.get().hostId());
              }
              HostRegistryDao hosts = handle.attach(HostRegistryDao.class);
              List<String> candidates =
                  hosts.lockCandidates((int) HEARTBEAT_FRESHNESS.toSeconds(), imageNames).stream()
                      .filter(id -> !id.equals(excluded))
                      .toList();
              List<HostAllocation> allocations =
                  candidates.isEmpty()
                      ? List.of()
                      : hosts.allocations(
                          candidates.toArray(String[]::new),
                          cpuRequestFraction,
                          memoryRequestFraction);
              HostChoice.Outcome choice = HostChoice.choose(allocations, request, noHost);
              choice
                  .hostId()
                  .ifPresent(
                      id ->
                          sandboxes.assignHost(
                              placement.sandboxId(), id, request.cpus(), request.memoryMb()));
              return choice;
            });
    return outcome
        .hostId()
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    outcome.reason(), ErrorType.NO_HOST_CAPACITY.name()));
  }

  /**
   * The names under which a host may list {@code image}: Docker lists tags in full, while a
   * reference without a tag or digest means its {@code latest} tag. Null (any host) for no image.
   */
  static String[] namesOf(String image) {
    if (image == null || image.isBlank()) {
      return null;
    }
    String lastSegment = image.substring(image.lastIndexOf('/') + 1);
    if (image.contains("@") || lastSegment.contains(":")) {
      return new String[] {image};
    }
    return new String[] {image, image + ":latest"};
  }

  /**
   * Creates or refreshes the host's row at worker start-up: online, heartbeat now. Idempotent; a
   * restart of the worker simply registers again.
   */
  public void registerHost(HostRegistration registration) {
    jdbi.useExtension(HostRegistryDao.class, hosts -> hosts.upsert(registration));
  }

  /**
   * Stamps the host's heartbeat, whether its Docker daemon answered and, unless {@code images} is
   * null, the images it now holds (so an image loaded after start-up becomes placeable). Returns
   * false when the host row does not exist, which means the worker should {@link #registerHost
   * register} again.
   */
  public boolean heartbeatHost(String hostId, boolean dockerReachable, List<String> images) {
    return jdbi.withExtension(
            HostRegistryDao.class, hosts -> hosts.heartbeat(hostId, dockerReachable, images))
        > 0;
  }

  /** Takes the host out of placement at a clean worker shutdown. Idempotent. */
  public void markHostOffline(String hostId) {
    jdbi.useExtension(HostRegistryDao.class, hosts -> hosts.markOffline(hostId));
  }
}
