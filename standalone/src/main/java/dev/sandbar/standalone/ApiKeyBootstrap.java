package dev.sandbar.standalone;

import dev.sandbar.api.auth.ApiKeyService;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Makes the standalone API key ({@code SANDBAR_API_KEY}) a key of the {@code default} tenant. Runs
 * once every bean exists (the database is migrated) and before the web server opens its port, so
 * the key printed on the console is never refused.
 */
@Component
class ApiKeyBootstrap implements SmartInitializingSingleton {

  static final String DEFAULT_TENANT = "default";

  private final ApiKeyService keys;
  private final String apiKey;

  ApiKeyBootstrap(ApiKeyService keys, @Value("${sandbar.api-key:}") String apiKey) {
    this.keys = keys;
    this.apiKey = apiKey;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (!apiKey.isBlank()) {
      keys.ensureTenant(DEFAULT_TENANT, "Default tenant");
      keys.ensureKey(DEFAULT_TENANT, apiKey);
    }
  }
}
