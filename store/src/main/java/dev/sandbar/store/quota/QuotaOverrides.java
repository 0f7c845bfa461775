package dev.sandbar.store.quota;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's own quotas, as the admin set them; a null member falls back to the deployment's
 * default.
 */
public record QuotaOverrides(
    @Nullable Integer commandsPerSandbox,
    @Nullable Integer commandsPerTenant,
    @Nullable Integer sandboxesPerTenant,
    @Nullable Long archiveBytesPerTenant,
    @Nullable Instant updatedAt) {

  public static final QuotaOverrides NONE = new QuotaOverrides(null, null, null, null, null);
}
