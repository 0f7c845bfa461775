package dev.sandbar.api.config;

/**
 * Settings of the HTTP API, resolved once from Spring properties and environment variables.
 *
 * @param defaultImage image of a sandbox created without one ({@code sandbar.default-image})
 * @param adminKey the key of the admin endpoints ({@code sandbar.admin-key} or {@code
 *     SANDBAR_ADMIN_KEY}); null disables them
 * @param temporalUiUrl base address of the Temporal UI, for links to stuck workflows ({@code
 *     sandbar.temporal.ui-url})
 * @param execStallSeconds how long a command's output may stay unchanged, ending like a prompt,
 *     before it is reported stalled; 0 disables ({@code sandbar.exec.stall-seconds})
 * @param execBackgroundLimitSeconds the default and the largest limit of a background command
 *     ({@code sandbar.exec.background-limit-seconds})
 */
public record SandbarApiProperties(
    String defaultImage,
    String adminKey,
    String temporalUiUrl,
    long execStallSeconds,
    long execBackgroundLimitSeconds) {

  public SandbarApiProperties {
    if (execStallSeconds < 0) {
      throw new IllegalArgumentException("sandbar.exec.stall-seconds must not be negative");
    }
    if (execBackgroundLimitSeconds < 1) {
      throw new IllegalArgumentException(
          "sandbar.exec.background-limit-seconds must be at least 1");
    }
    adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey;
    temporalUiUrl =
        temporalUiUrl.endsWith("/")
            ? temporalUiUrl.substring(0, temporalUiUrl.length() - 1)
            : temporalUiUrl;
  }

  public boolean adminEnabled() {
    return adminKey != null;
  }
}
