package dev.sandbar.api.quota;

import dev.sandbar.store.quota.QuotaOverrides;
import org.jspecify.annotations.Nullable;

/**
 * The four quotas, as limits in force or as a tenant's overrides (where a null member means the
 * deployment's default).
 *
 * @param commandsPerSandbox commands running at once in one sandbox
 * @param commandsPerTenant commands running at once in all of a tenant's sandboxes
 * @param sandboxesPerTenant sandboxes not destroyed (stopped ones keep their data and count)
 * @param archiveBytesPerTenant bytes of the archives a tenant keeps
 */
public record QuotaLimits(
    @Nullable Integer commandsPerSandbox,
    @Nullable Integer commandsPerTenant,
    @Nullable Integer sandboxesPerTenant,
    @Nullable Long archiveBytesPerTenant) {

  static QuotaLimits of(QuotaOverrides overrides) {
    return new QuotaLimits(
        overrides.commandsPerSandbox(),
        overrides.commandsPerTenant(),
        overrides.sandboxesPerTenant(),
        overrides.archiveBytesPerTenant());
  }

  /** These overrides over {@code defaults}: each member set here wins. */
  QuotaLimits over(QuotaLimits defaults) {
    return new QuotaLimits(
        commandsPerSandbox != null ? commandsPerSandbox : defaults.commandsPerSandbox,
        commandsPerTenant != null ? commandsPerTenant : defaults.commandsPerTenant,
        sandboxesPerTenant != null ? sandboxesPerTenant : defaults.sandboxesPerTenant,
        archiveBytesPerTenant != null ? archiveBytesPerTenant : defaults.archiveBytesPerTenant);
  }

  QuotaOverrides toOverrides() {
    return new QuotaOverrides(
        commandsPerSandbox, commandsPerTenant, sandboxesPerTenant, archiveBytesPerTenant, null);
  }
}
