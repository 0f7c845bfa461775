package dev.sandbar.api.quota;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The deployment's quotas ({@code SANDBAR_QUOTA_*}), which every tenant without an override of its
 * own gets. A wait on a running command costs a slot on its host's command-wait worker and a poll
 * of the container every second, so the command quotas are what keeps one tenant from taking a
 * host's command capacity.
 */
@Component
class QuotaDefaults {

  static final int COMMANDS_PER_SANDBOX = 64;
  static final int COMMANDS_PER_TENANT = 256;
  static final int SANDBOXES_PER_TENANT = 100;
  static final long ARCHIVE_BYTES_PER_TENANT = 50L * 1024 * 1024 * 1024;

  private final QuotaLimits limits;

  QuotaDefaults(
      @Value(
              "${sandbar.quota.commands-per-sandbox:${SANDBAR_QUOTA_COMMANDS_PER_SANDBOX:"
                  + COMMANDS_PER_SANDBOX
                  + "}}")
          int commandsPerSandbox,
      @Value(
              "${sandbar.quota.commands-per-tenant:${SANDBAR_QUOTA_COMMANDS_PER_TENANT:"
                  + COMMANDS_PER_TENANT
                  + "}}")
          int commandsPerTenant,
      @Value(
              "${sandbar.quota.sandboxes-per-tenant:${SANDBAR_QUOTA_SANDBOXES_PER_TENANT:"
                  + SANDBOXES_PER_TENANT
                  + "}}")
          int sandboxesPerTenant,
      @Value(
              "${sandbar.quota.archive-bytes-per-tenant:${SANDBAR_QUOTA_ARCHIVE_BYTES_PER_TENANT:"
                  + ARCHIVE_BYTES_PER_TENANT
                  + "}}")
          long archiveBytesPerTenant) {
    this.limits =
        new QuotaLimits(
            nonNegative("SANDBAR_QUOTA_COMMANDS_PER_SANDBOX", commandsPerSandbox),
            nonNegative("SANDBAR_QUOTA_COMMANDS_PER_TENANT", commandsPerTenant),
            nonNegative("SANDBAR_QUOTA_SANDBOXES_PER_TENANT", sandboxesPerTenant),
            nonNegative("SANDBAR_QUOTA_ARCHIVE_BYTES_PER_TENANT", archiveBytesPerTenant));
  }

  QuotaLimits limits() {
    return limits;
  }

  private static <N extends Number> N nonNegative(String name, N value) {
    if (value.longValue() < 0) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    return value;
  }
}
