package dev.sandbar.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official E2B SDK ({@code e2b} on npm, pinned to {@link #VERSION}), unchanged, installed with
 * npm into the build folder ({@code target/e2b-sdk}, reused while it holds that version), and node
 * scripts from {@code src/test/resources/e2b/} run against a Sandbar. A script prints one JSON
 * document as its last line of output, which {@link #run} parses. Missing node or npm fails the
 * test with how to install them; it never skips.
 */
final class E2bSdk {

  static final String VERSION = "2.51.0";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long SCRIPT_TIMEOUT_SECONDS = 600;
  private static final long INSTALL_TIMEOUT_SECONDS = 600;

  private final Path folder;
  private final Map<String, String> environment;

  private E2bSdk(Path folder, Map<String, String> environment) {
    this.folder = folder;
    this.environment = environment;
  }

  /**
   * The SDK pointed at the standalone Sandbar on {@code port}: {@code E2B_API_URL} is its {@code
   * /e2b}, {@code E2B_SANDBOX_URL} its {@code /e2b/sandbox}, {@code E2B_API_KEY} {@code apiKey}.
   */
  static E2bSdk against(int port, String apiKey) {
    Path folder = installed();
    Map<String, String> environment = new HashMap<>();
    environment.put("E2B_API_URL", "http://127.0.0.1:" + port + "/e2b");
    environment.put("E2B_SANDBOX_URL", "http://127.0.0.1:" + port + "/e2b/sandbox");
    environment.put("E2B_API_KEY", apiKey);
    return new E2bSdk(folder, environment);
  }

  /**
   * Runs {@code script} (a file of {@code src/test/resources/e2b/}) with node, with {@code extra}
   * environment variables besides the SDK's, and answers the JSON document it printed last. A
   * script that fails (non-zero exit, or no JSON) fails the test with its output.
   */
  JsonNode run(String script, Map<String, String> extra) {
    copyScript(script);
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(extra);
    Result result = exec(List.of("node", script), env, SCRIPT_TIMEOUT_SECONDS);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "node " + script + " exited with " + result.exitCode() + ":\n" + result.describe());
    }
    String[] lines = result.stdout().strip().split("\n");
    String last = lines[lines.length - 1];
    try {
      return JSON.readTree(last);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "node " + script + " did not end with a JSON line:\n" + result.describe(), e);
    }
  }

  /** The folder holding {@code node_modules/e2b} at {@link #VERSION}; installs it if needed. */
  private static synchronized Path installed() {
    Path folder = buildFolder().resolve("e2b-sdk");
    requireTool("node");
    requireTool("npm");
    try {
      Path manifest = folder.resolve("node_modules/e2b/package.json");
      if (Files.exists(manifest)
          && JSON.readTree(Files.readString(manifest)).get("version").asString().equals(VERSION)) {
        return folder;
      }
      Files.createDirectories(folder);
      Files.writeString(
          folder.resolve("package.json"),
          "{\"name\": \"sandbar-e2b-sdk-test\", \"private\": true, \"type\": \"module\"}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Result install =
        exec(
            List.of("npm", "install", "--no-audit", "--no-fund", "--save-exact", "e2b@" + VERSION),
            folder,
            Map.of(),
            INSTALL_TIMEOUT_SECONDS);
    if (install.exitCode() != 0) {
      throw new AssertionError(
          "npm could not install e2b@" + VERSION + " into " + folder + ":\n" + install.describe());
    }
    return folder;
  }

  private static void requireTool(String tool) {
    Result version;
    try {
      version = exec(List.of(tool, "--version"), Path.of("."), Map.of(), 60);
    } catch (AssertionError e) {
      throw new AssertionError(
          tool
              + " is needed to run E2B's SDK in this test and was not found: install Node.js 18"
              + " or later with npm (Debian: apt-get install nodejs npm)",
          e);
    }
    if (version.exitCode() != 0) {
      throw new AssertionError(tool + " --version failed:\n" + version.describe());
    }
  }

  /** The module's build folder ({@code target}, or the one {@code -Dsandbar.target} names). */
  private static Path buildFolder() {
    try {
      // .../target/test-classes
      return Path.of(E2bSdk.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private void copyScript(String script) {
    try (InputStream in = E2bSdk.class.getResourceAsStream("/e2b/" + script)) {
      if (in == null) {
        throw new AssertionError("no script src/test/resources/e2b/" + script);
      }
      Files.copy(in, folder.resolve(script), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result exec(List<String> command, Map<String, String> env, long timeoutSeconds) {
    return exec(command, folder, env, timeoutSeconds);
  }

  private static Result exec(
      List<String> command, Path directory, Map<String, String> env, long timeoutSeconds) {
    try {
      Path stdout = Files.createTempFile("e2b-sdk-", ".out");
      Path stderr = Files.createTempFile("e2b-sdk-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(directory.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish in "
                + timeoutSeconds
                + " s:\n"
                + new Result(-1, read(stdout), read(stderr)).describe());
      }
      Result result = new Result(process.exitValue(), read(stdout), read(stderr));
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      return result;
    } catch (IOException e) {
      throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private record Result(int exitCode, String stdout, String stderr) {
    String describe() {
      return "--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
