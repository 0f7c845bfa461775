package dev.sandbar.api.e2b.envd;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * E2B's SDK uploads most files as {@code multipart/form-data} to {@code /e2b/sandbox/files}: the
 * servlet container parses it, writing each part to a temporary file (threshold 0, so memory stays
 * flat), and a part may be as large as any file Sandbar moves ({@code SANDBAR_FILE_MAX_BYTES}).
 * Parsing is lazy, so nothing is spooled before the call's access token is checked. No other
 * endpoint takes multipart, and every other path's body is bounded before parsing by {@code
 * SANDBAR_MAX_REQUEST_BYTES}. Lowest precedence, so any configuration wins.
 */
public class EnvdUploadDefaults implements EnvironmentPostProcessor {

  static final String SOURCE = "sandbar-e2b-upload-defaults";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String fileLimit = "${sandbar.files.max-bytes:${SANDBAR_FILE_MAX_BYTES:1073741824}}";
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                SOURCE,
                Map.of(
                    "spring.servlet.multipart.max-file-size", fileLimit,
                    "spring.servlet.multipart.max-request-size", "-1",
                    "spring.servlet.multipart.file-size-threshold", "0",
                    "spring.servlet.multipart.resolve-lazily", "true")));
  }
}
