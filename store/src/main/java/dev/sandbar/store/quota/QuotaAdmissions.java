package dev.sandbar.store.quota;

import dev.sandbar.store.sandbox.NewSandbox;
import dev.sandbar.store.sandbox.SandboxDao;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Admission against quotas, race-safe across API processes: each admission is one transaction that
 * first locks the tenant's row ({@link QuotaDao#lockTenant}), then counts and records what it
 * admits, so concurrent requests of a tenant are judged one after another on counts that include
 * each other. A tenant's requests queue on that lock only for the few milliseconds of the counts.
 *
 * <p>Within one process the admissions of a tenant also queue on a lock in memory before they take
 * a database connection: a burst of hundreds of requests (the API serves them on virtual threads)
 * would otherwise hold every pooled connection while waiting for the row lock, and starve every
 * other request of the process.
 */
public final class QuotaAdmissions {

  public static final String COMMANDS_PER_SANDBOX = "commandsPerSandbox";
  public static final String COMMANDS_PER_TENANT = "commandsPerTenant";
  public static final String SANDBOXES_PER_TENANT = "sandboxesPerTenant";
  public static final String ARCHIVE_BYTES_PER_TENANT = "archiveBytesPerTenant";

  /** What {@link #admitSandbox} did. */
  public enum SandboxAdmission {
    INSERTED,
    /** The tenant already has a sandbox under this idempotency key: nothing was inserted. */
    DUPLICATE_KEY
  }

  /** Thrown inside the admission's transaction so that it rolls back, and caught outside. */
  private static final class Refused extends RuntimeException {
    private final QuotaRefusal refusal;

    Refused(QuotaRefusal refusal) {
      super(refusal.quota(), null, false, false);
      this.refusal = refusal;
    }
  }

  /** Locks that tenants hash to; one per tenant would be as good, but never shrinks. */
  private static final int STRIPES = 64;

  private final Jdbi jdbi;
  private final Lock[] stripes = new Lock[STRIPES];

  public QuotaAdmissions(Jdbi jdbi) {
    this.jdbi = jdbi;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /**
   * Records {@code taskId} as running in the sandbox unless the sandbox already runs {@code
   * perSandbox} commands or the tenant {@code perTenant}. An admission counts until the command's
   * workflow writes its task row (which then counts instead), or until {@link #withdrawCommand}.
   */
  public Optional<QuotaRefusal> admitCommand(
      String tenantId, String sandboxId, String taskId, long perSandbox, long perTenant) {
    return admit(
        tenantId,
        (handle, quotas) -> {
          quotas.forgetSettledAdmissions(tenantId);
          long inSandbox = quotas.runningCommands(tenantId, sandboxId);
          if (inSandbox >= perSandbox) {
            throw new Refused(new QuotaRefusal(COMMANDS_PER_SANDBOX, perSandbox, inSandbox));
          }
          long inTenant = quotas.runningCommands(tenantId, null);
          if (inTenant >= perTenant) {
            throw new Refused(new QuotaRefusal(COMMANDS_PER_TENANT, perTenant, inTenant));
          }
          quotas.admitCommand(taskId, tenantId, sandboxId);
          return null;
        });
  }

  /** Frees the slot of a command that did not start. */
  public void withdrawCommand(String taskId) {
    jdbi.useExtension(QuotaDao.class, quotas -> quotas.withdrawCommand(taskId));
  }

  /**
   * Inserts the sandbox's row unless the tenant already has {@code limit} sandboxes that are not
   * destroyed. A request repeating an idempotency key is never refused: it answers with the sandbox
   * the first one made.
   *
   * @return the admission, or the refusal
   */
  public Result<SandboxAdmission> admitSandbox(NewSandbox row, long limit) {
    SandboxAdmission[] outcome = new SandboxAdmission[1];
    Optional<QuotaRefusal> refusal =
        admit(
            row.tenantId(),
            (handle, quotas) -> {
              if (row.idempotencyKey() != null
                  && quotas.hasIdempotencyKey(row.tenantId(), row.idempotencyKey())) {
                outcome[0] = SandboxAdmission.DUPLICATE_KEY;
                return null;
              }
              long live = quotas.liveSandboxes(row.tenantId());
              if (live >= limit) {
                throw new Refused(new QuotaRefusal(SANDBOXES_PER_TENANT, limit, live));
              }
              outcome[0] =
                  handle.attach(SandboxDao.class).insert(row) == 0
                      ? SandboxAdmission.DUPLICATE_KEY
                      : SandboxAdmission.INSERTED;
              return null;
            });
    return new Result<>(outcome[0], refusal.orElse(null));
  }

  /**
   * Refuses a new archive while the tenant's archives already hold {@code limit} bytes or more. An
   * archive's size is known only once it is written, so the archive that crosses the limit is kept
   * and the next one is refused.
   */
  public Optional<QuotaRefusal> checkArchiveBytes(String tenantId, long limit) {
    long used = jdbi.withExtension(QuotaDao.class, quotas -> quotas.archiveBytes(tenantId));
    return used >= limit
        ? Optional.of(new QuotaRefusal(ARCHIVE_BYTES_PER_TENANT, limit, used))
        : Optional.empty();
  }

  /** An admission's value, or the refusal that stopped it. */
  public record Result<T>(T value, QuotaRefusal refusal) {
    public boolean refused() {
      return refusal != null;
    }
  }

  private interface Step {
    Void run(Handle handle, QuotaDao quotas);
  }

  private Optional<QuotaRefusal> admit(String tenantId, Step step) {
    Lock stripe = stripes[Math.floorMod(tenantId.hashCode(), STRIPES)];
    stripe.lock();
    try {
      jdbi.inTransaction(
          handle -> {
            QuotaDao quotas = handle.attach(QuotaDao.class);
            if (quotas.lockTenant(tenantId).isEmpty()) {
              throw new IllegalArgumentException("no tenant " + tenantId);
            }
            return step.run(handle, quotas);
          });
      return Optional.empty();
    } catch (Refused refused) {
      return Optional.of(refused.refusal);
    } finally {
      stripe.unlock();
    }
  }
}
