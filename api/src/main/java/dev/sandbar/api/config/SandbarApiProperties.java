package dev.sandbar.api.config;

/**
 * Settings of the HTTP API, resolved once from Spring properties and environment variables.
 *
 * @param defaultImage image of a sandbox created without one ({@code sandbar.default-image})
 * @param adminKey the key of the admin endpoints ({@code sandbar.admin-key} or {@code
 *     SANDBAR_ADMIN_KEY}); null disables them
 * @param temporalUiUrl base address of the Temporal UI, for links to stuck workflows ({@code
 *     sandbar.temporal.ui-url})
 */
public record SandbarApiProperties(String defaultImage, String adminKey, String temporalUiUrl) {

  public SandbarApiProperties {
    adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey;
    temporalUiUrl = temporalUiUrl.endsWith("/") ? temporalUiUrl.substring(0, temporalUiUrl.length() - 1) : temporalUiUrl;
  }

  public boolean adminEnabled() {
    return adminKey != null;
  }
}
