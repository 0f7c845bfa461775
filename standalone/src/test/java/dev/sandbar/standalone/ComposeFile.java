package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Reading {@code docker-compose.yml}, the Dockerfiles and the README for {@link ComposeFileTest}.
 */
final class ComposeFile {

  static final Path ROOT = repositoryRoot();
  static final Map<String, Object> COMPOSE = yaml(read(ROOT.resolve("docker-compose.yml")));

  private ComposeFile() {}

  /** The Maven module a service's Dockerfile builds ({@code -pl MODULE}). */
  static String module(String service) {
    String dockerfile =
        read(ROOT.resolve((String) map(service(service), "build").get("dockerfile")));
    Matcher pl = Pattern.compile("-pl (\\S+)").matcher(dockerfile);
    assertThat(pl.find()).as(service + " Dockerfile builds with -pl").isTrue();
    return pl.group(1);
  }

  static String readmeComposeSection() {
    String readme = read(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Docker Compose\n");
    assertThat(start).as("README section '## Docker Compose'").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  static Map<String, String> dependsOn(String service) {
    Map<String, String> conditions = new LinkedHashMap<>();
    map(service(service), "depends_on")
        .forEach(
            (name, value) -> conditions.put(name, (String) ((Map<?, ?>) value).get("condition")));
    return conditions;
  }

  static Map<String, String> environment(String service) {
    Map<String, String> environment = new LinkedHashMap<>();
    map(service(service), "environment")
        .forEach((name, value) -> environment.put(name, String.valueOf(value)));
    return environment;
  }

  static String command(String service) {
    List<String> command = list(service(service), "command");
    assertThat(command).as(service + " command").hasSize(1);
    return command.get(0);
  }

  static Map<String, Object> services() {
    return map(COMPOSE, "services");
  }

  static Map<String, Object> service(String name) {
    assertThat(services()).as("services").containsKey(name);
    return map(services(), name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object parent, String key) {
    Object value = ((Map<String, Object>) parent).get(key);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<String> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    return value == null ? List.of() : (List<String>) value;
  }

  static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }

  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
