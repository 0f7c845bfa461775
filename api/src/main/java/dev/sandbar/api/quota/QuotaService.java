package dev.sandbar.api.quota;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.store.auth.ApiKeyDao;
import dev.sandbar.store.quota.QuotaAdmissions;
import dev.sandbar.store.quota.QuotaAdmissions.SandboxAdmission;
import dev.sandbar.store.quota.QuotaDao;
import dev.sandbar.store.quota.QuotaOverrides;
import dev.sandbar.store.quota.QuotaRefusal;
import dev.sandbar.store.sandbox.NewSandbox;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Quotas per tenant: the limits in force (a tenant's override, else the deployment's default), and
 * admission against them. Over a quota the answer is a 429 {@code quota-exceeded} problem naming
 * the quota, its limit and the current use. Public because sandbox creation, exec and archiving
 * admit through it.
 */
@Service
public class QuotaService {

  private final QuotaDao dao;
  private final ApiKeyDao tenants;
  private final QuotaAdmissions admissions;
  private final QuotaDefaults defaults;

  QuotaService(Jdbi jdbi, QuotaDefaults defaults) {
    Jdbi withSqlObjects = jdbi.installPlugin(new SqlObjectPlugin());
    this.dao = withSqlObjects.onDemand(QuotaDao.class);
    this.tenants = withSqlObjects.onDemand(ApiKeyDao.class);
    this.admissions = new QuotaAdmissions(withSqlObjects);
    this.defaults = defaults;
  }

  /**
   * Admits a command in the sandbox (which the caller has checked is the tenant's); 429 when the
   * sandbox or the tenant already runs its quota of commands. Call {@link #withdrawCommand} if the
   * command then does not start.
   */
  public void admitCommand(String tenantId, String sandboxId, String taskId) {
    QuotaLimits limits = limits(tenantId);
    admissions
        .admitCommand(
            tenantId, sandboxId, taskId, limits.commandsPerSandbox(), limits.commandsPerTenant())
        .ifPresent(
            refusal -> {
              throw exceeded(refusal, "sandbox " + sandboxId + " or its tenant");
            });
  }

  public void withdrawCommand(String taskId) {
    admissions.withdrawCommand(taskId);
  }

  /**
   * Inserts a new sandbox's row unless the tenant has its quota of sandboxes (429).
   *
   * @return false when a sandbox with the row's idempotency key exists: nothing was inserted
   */
  public boolean admitSandbox(NewSandbox row) {
    QuotaAdmissions.Result<SandboxAdmission> result =
        admissions.admitSandbox(row, limits(row.tenantId()).sandboxesPerTenant());
    if (result.refused()) {
      throw exceeded(result.refusal(), "the tenant");
    }
    return result.value() == SandboxAdmission.INSERTED;
  }

  /** 429 when the tenant's archives already hold its quota of bytes. */
  public void requireArchiveRoom(String tenantId) {
    admissions
        .checkArchiveBytes(tenantId, limits(tenantId).archiveBytesPerTenant())
        .ifPresent(
            refusal -> {
              throw exceeded(refusal, "the tenant's archives");
            });
  }

  TenantQuotasResponse describe(String tenantId) {
    requireTenant(tenantId);
    QuotaLimits overrides = overrides(tenantId);
    return new TenantQuotasResponse(
        tenantId,
        overrides.over(defaults.limits()),
        overrides,
        new QuotaUsageResponse(
            dao.runningCommands(tenantId, null),
            dao.liveSandboxes(tenantId),
            dao.archiveBytes(tenantId)));
  }

  /** Replaces the tenant's overrides; a member left out (or null) returns to the default. */
  TenantQuotasResponse replace(String tenantId, @Nullable QuotaLimits body) {
    requireTenant(tenantId);
    QuotaLimits overrides = body == null ? new QuotaLimits(null, null, null, null) : body;
    List<InvalidField> invalid = new ArrayList<>();
    negative("commandsPerSandbox", overrides.commandsPerSandbox(), invalid);
    negative("commandsPerTenant", overrides.commandsPerTenant(), invalid);
    negative("sandboxesPerTenant", overrides.sandboxesPerTenant(), invalid);
    negative("archiveBytesPerTenant", overrides.archiveBytesPerTenant(), invalid);
    if (!invalid.isEmpty()) {
      throw ApiProblem.invalid(invalid);
    }
    dao.putOverrides(tenantId, overrides.toOverrides());
    return describe(tenantId);
  }

  private QuotaLimits limits(String tenantId) {
    return overrides(tenantId).over(defaults.limits());
  }

  private QuotaLimits overrides(String tenantId) {
    return QuotaLimits.of(dao.overrides(tenantId).orElse(QuotaOverrides.NONE));
  }

  private void requireTenant(String tenantId) {
    if (tenants.findTenant(tenantId).isEmpty()) {
      throw ApiProblem.notFound("tenant " + tenantId + " not found");
    }
  }

  private static void negative(String field, @Nullable Number value, List<InvalidField> invalid) {
    if (value != null && value.longValue() < 0) {
      invalid.add(new InvalidField(field, "must be 0 or more (null: the deployment's default)"));
    }
  }

  private static ApiProblem exceeded(QuotaRefusal refusal, String whose) {
    return ApiProblem.of(
            ProblemType.QUOTA_EXCEEDED,
            "quota "
                + refusal.quota()
                + " exceeded: "
                + whose
                + " uses "
                + refusal.current()
                + " of "
                + refusal.limit())
        .with("quota", refusal.quota())
        .with("limit", refusal.limit())
        .with("current", refusal.current());
  }
}
