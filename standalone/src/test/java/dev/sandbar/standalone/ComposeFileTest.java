package dev.sandbar.standalone;

import static dev.sandbar.standalone.ComposeFile.COMPOSE;
import static dev.sandbar.standalone.ComposeFile.ROOT;
import static dev.sandbar.standalone.ComposeFile.command;
import static dev.sandbar.standalone.ComposeFile.dependsOn;
import static dev.sandbar.standalone.ComposeFile.environment;
import static dev.sandbar.standalone.ComposeFile.list;
import static dev.sandbar.standalone.ComposeFile.map;
import static dev.sandbar.standalone.ComposeFile.module;
import static dev.sandbar.standalone.ComposeFile.read;
import static dev.sandbar.standalone.ComposeFile.readmeComposeSection;
import static dev.sandbar.standalone.ComposeFile.service;
import static dev.sandbar.standalone.ComposeFile.services;
import static dev.sandbar.standalone.ComposeFile.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.exec.TaskPrunerWorkflow;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code docker-compose.yml} cannot be started where Sandbar is built (no image registry), so this
 * checks it against the code instead: the services and their start order, ports, volumes and health
 * checks, that the API and worker get every variable their code needs and none it does not read
 * (derived from the sources by {@link ApplicationEnvironment}), the search attributes of {@link
 * SearchAttributes}, and that the Dockerfiles build the modules that exist.
 */
class ComposeFileTest {

  private static final String HEALTHY = "service_healthy";
  private static final String DONE = "service_completed_successfully";

  @Test
  void hasTheDocumentedServices() {
    assertThat(services().keySet())
        .containsExactlyInAnyOrder(
            "postgresql",
            "temporal-schema",
            "temporal",
            "temporal-admin-tools",
            "temporal-ui",
            "worker",
            "api");
  }

  @Test
  void publishesTheDocumentedPortsOnLoopbackByDefault() {
    assertThat(list(service("api"), "ports")).containsExactly("127.0.0.1:8080:8080");
    assertThat(list(service("temporal-ui"), "ports")).containsExactly("127.0.0.1:8233:8080");
    assertThat(list(service("temporal"), "ports"))
        .containsExactly("${SANDBAR_PUBLISH_ADDRESS:-127.0.0.1}:7233:7233");
    assertThat(list(service("postgresql"), "ports"))
        .containsExactly("${SANDBAR_PUBLISH_ADDRESS:-127.0.0.1}:5432:5432");
    assertThat(service("worker")).doesNotContainKey("ports");
    // The stuck-operation links point at the UI as published.
    assertThat(environment("api")).containsEntry("TEMPORAL_UI_URL", "http://localhost:8233");
    assertThat(readmeComposeSection())
        .contains(
            "http://localhost:8080/v1",
            "http://localhost:8233",
            "SANDBAR_PUBLISH_ADDRESS",
            "docker compose up");
  }

  @Test
  void mountsTheDockerSocketAndKeepsDataInNamedVolumes() {
    Map<String, String> worker = environment("worker");
    assertThat(list(service("worker"), "volumes"))
        .containsExactlyInAnyOrder(
            "/var/run/docker.sock:/var/run/docker.sock",
            "sandbar-data:" + worker.get("SANDBAR_DATA_DIR"),
            "/bin/busybox:/bin/busybox:ro");
    assertThat(worker).containsEntry("DOCKER_HOST", "unix:///var/run/docker.sock");
    assertThat(list(service("postgresql"), "volumes"))
        .containsExactly("postgresql-data:/var/lib/postgresql/data");
    assertThat(map(COMPOSE, "volumes").keySet())
        .containsExactlyInAnyOrder("postgresql-data", "sandbar-data");

    String[] dynamicConfig = list(service("temporal"), "volumes").get(0).split(":");
    Path file = ROOT.resolve(dynamicConfig[0]);
    assertThat(file).isRegularFile();
    assertThat(yaml(read(file))).containsKey("system.forceSearchAttributesCacheRefreshOnRead");
    assertThat(environment("temporal")).containsEntry("DYNAMIC_CONFIG_FILE_PATH", dynamicConfig[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "worker"})
  void givesOnlyVariablesTheApplicationReads(String service) {
    ApplicationEnvironment application = ApplicationEnvironment.of(ROOT, module(service));
    assertThat(application.names()).contains("TEMPORAL_ADDRESS", "SANDBAR_DB_URL");
    assertThat(environment(service).keySet())
        .as("variables of %s that none of %s reads", service, application.modules())
        .isSubsetOf(application.names());
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "worker"})
  void givesEveryVariableTheApplicationNeedsInAContainer(String service) {
    ApplicationEnvironment application = ApplicationEnvironment.of(ROOT, module(service));
    assertThat(application.unmet(environment(service).keySet())).isEmpty();
    assertThat(environment(service)).containsKey("TEMPORAL_NAMESPACE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "worker"})
  void springResolvesThePropertiesGivenByTheirEnvironmentNames(String service) {
    ApplicationEnvironment application = ApplicationEnvironment.of(ROOT, module(service));
    Map<String, Object> given = new LinkedHashMap<>(environment(service));
    SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource("compose", given);
    for (String property : application.propertyNames()) {
      for (String name : ApplicationEnvironment.environmentNames(property)) {
        if (given.containsKey(name)) {
          assertThat(source.getProperty(property)).as(property).isEqualTo(given.get(name));
        }
      }
    }
    assertThat(application.propertyNames()).contains("sandbar.temporal.address");
  }

  @Test
  void readmeSecondHostWorkersAreConfiguredLikeTheComposeWorker() {
    String section = readmeComposeSection();
    Set<String> workerReads = ApplicationEnvironment.of(ROOT, module("worker")).names();
    // Everything the compose worker is given, but DOCKER_HOST: its default is the mounted socket.
    Set<String> needed = new TreeSet<>(environment("worker").keySet());
    needed.remove("DOCKER_HOST");

    Matcher override = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(override.find()).as("a docker-compose.override.yml in the README").isTrue();
    Map<String, Object> workerB = map(map(yaml(override.group(1)), "services"), "worker-b");
    Map<String, Object> environment = map(workerB, "environment");
    assertThat(environment.keySet()).isSubsetOf(workerReads).containsAll(needed);
    assertThat(environment.get("SANDBAR_HOST_ID"))
        .isNotEqualTo(environment("worker").get("SANDBAR_HOST_ID"));
    assertThat(list(workerB, "volumes"))
        .anyMatch(volume -> volume.endsWith(":/var/run/docker.sock"));

    Matcher dockerRun =
        Pattern.compile("```sh\ndocker run (.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(dockerRun.find()).as("a docker run of a worker on another machine").isTrue();
    Matcher variable = Pattern.compile("-e ([A-Z0-9_]+)=").matcher(dockerRun.group(1));
    Set<String> given = new TreeSet<>();
    while (variable.find()) {
      given.add(variable.group(1));
    }
    assertThat(given).isSubsetOf(workerReads).containsAll(needed);
    assertThat(dockerRun.group(1)).contains("-v /var/run/docker.sock:/var/run/docker.sock");
  }

  @Test
  void workerHasAHostIdAndTheApiAnAdminKeyThatMustBeSet() {
    assertThat(environment("worker")).containsKey("SANDBAR_HOST_ID");
    assertThat(environment("api").get("SANDBAR_ADMIN_KEY")).startsWith("${SANDBAR_ADMIN_KEY:?");
  }

  @Test
  void theApplicationsUseThePostgresqlAndTemporalOfThisFile() {
    Map<String, String> postgresql = environment("postgresql");
    String user = postgresql.get("POSTGRES_USER");
    String password = postgresql.get("POSTGRES_PASSWORD");
    String namespace = adminToolsNamespace();
    for (String service : List.of("api", "worker")) {
      assertThat(environment(service))
          .containsEntry(
              "SANDBAR_DB_URL",
              "jdbc:postgresql://postgresql:5432/" + postgresql.get("POSTGRES_DB"))
          .containsEntry("SANDBAR_DB_USER", user)
          .containsEntry("SANDBAR_DB_PASSWORD", password)
          .containsEntry("TEMPORAL_ADDRESS", "temporal:7233")
          .containsEntry("TEMPORAL_NAMESPACE", namespace);
    }
    assertThat(environment("temporal"))
        .containsEntry("POSTGRES_SEEDS", "postgresql")
        .containsEntry("POSTGRES_USER", user)
        .containsEntry("POSTGRES_PWD", password);
    assertThat(environment("temporal-schema")).containsEntry("SQL_PASSWORD", password);
    assertThat(command("temporal-schema")).contains("-u " + user);
    assertThat(environment("temporal-ui")).containsEntry("TEMPORAL_ADDRESS", "temporal:7233");
    assertThat(environment("temporal-admin-tools"))
        .containsEntry("TEMPORAL_ADDRESS", "temporal:7233");
  }

  @Test
  void longRunningServicesHaveHealthChecksAndOneShotsDoNot() {
    for (String service : List.of("postgresql", "temporal", "temporal-ui", "worker", "api")) {
      List<String> test = list(map(service(service), "healthcheck"), "test");
      assertThat(test).as(service).hasSizeGreaterThanOrEqualTo(2);
      assertThat(test.get(0)).as(service).isIn("CMD", "CMD-SHELL");
    }
    for (String service : List.of("temporal-schema", "temporal-admin-tools")) {
      assertThat(service(service)).doesNotContainKeys("healthcheck", "restart");
    }
  }

  @Test
  void startsInOrder() {
    Map<String, Map<String, String>> expected = new LinkedHashMap<>();
    expected.put("postgresql", Map.of());
    expected.put("temporal-schema", Map.of("postgresql", HEALTHY));
    expected.put("temporal", Map.of("temporal-schema", DONE));
    expected.put("temporal-admin-tools", Map.of("temporal", HEALTHY));
    expected.put("temporal-ui", Map.of("temporal", HEALTHY));
    expected.put(
        "worker", Map.of("postgresql", HEALTHY, "temporal", HEALTHY, "temporal-admin-tools", DONE));
    expected.put(
        "api",
        Map.of(
            "postgresql",
            HEALTHY,
            "temporal",
            HEALTHY,
            "temporal-admin-tools",
            DONE,
            "worker",
            HEALTHY));
    assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(services().keySet());
    expected.forEach(
        (service, dependencies) -> {
          assertThat(dependsOn(service)).as(service).isEqualTo(dependencies);
          // Waiting for "healthy" needs a health check; "completed" is for one-shot services.
          dependencies.forEach(
              (dependency, condition) ->
                  assertThat(service(dependency).containsKey("healthcheck"))
                      .as(service + " -> " + dependency)
                      .isEqualTo(condition.equals(HEALTHY)));
        });
  }

  @Test
  void registersTheSearchAttributesOfTheWorkflowsOnStart() {
    String script = command("temporal-admin-tools");
    Matcher loop = Pattern.compile("for attribute in ([^;]+);").matcher(script);
    assertThat(loop.find()).as("the search-attribute loop").isTrue();
    assertThat(Set.of(loop.group(1).trim().split("\\s+")))
        .isEqualTo(
            SearchAttributes.ALL.stream()
                .map(SearchAttributeKey::getName)
                .collect(Collectors.toSet()));
    assertThat(SearchAttributes.ALL)
        .allSatisfy(
            key ->
                assertThat(key.getValueType())
                    .isEqualTo(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    assertThat(script)
        .contains("temporal operator search-attribute create", "--type Keyword")
        .contains("temporal operator namespace create");
  }

  @Test
  void oneShotScriptsAreValidShell() throws Exception {
    for (String service : List.of("temporal-schema", "temporal-admin-tools")) {
      assertThat(list(service(service), "entrypoint")).containsExactly("/bin/sh", "-ec");
      // Compose turns $$ into $ before the shell sees the script.
      Process sh =
          new ProcessBuilder("sh", "-n", "-c", command(service).replace("$$", "$"))
              .redirectErrorStream(true)
              .start();
      String output = new String(sh.getInputStream().readAllBytes());
      assertThat(sh.waitFor()).as(service + ": " + output).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "worker"})
  void dockerfileBuildsTheModuleWithMavenAndRunsItOnAJre(String service) {
    Map<String, Object> build = map(service(service), "build");
    assertThat(build).containsEntry("context", ".");
    Path dockerfile = ROOT.resolve((String) build.get("dockerfile"));
    String module = module(service);
    assertThat(ROOT.resolve(module).resolve("pom.xml")).isRegularFile();
    String pom = read(ROOT.resolve(module).resolve("pom.xml"));
    assertThat(pom)
        .contains("<artifactId>" + module + "</artifactId>", "<classifier>exec</classifier>");

    List<String> from = read(dockerfile).lines().filter(line -> line.startsWith("FROM ")).toList();
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).matches("FROM maven:3\\.9[^ ]*-eclipse-temurin-21 AS build");
    assertThat(from.get(1)).isEqualTo("FROM eclipse-temurin:21-jre");
    assertThat(read(dockerfile))
        .contains("WORKDIR /src\nCOPY . .\n")
        .containsPattern("mvn -B -DskipTests .*-pl " + module + " -am package")
        .contains("COPY --from=build /src/" + module + "/target/" + module + "-*-exec.jar ");
  }

  @Test
  void dockerIgnoreLeavesOutBuildOutputButNotTheBuildInputs() {
    List<String> patterns =
        read(ROOT.resolve(".dockerignore"))
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    for (String input :
        List.of("pom.xml", ".mvn/jvm.config", "api/pom.xml", "worker/src/main/java/X.java")) {
      assertThat(ignored(patterns, input)).as(input).isFalse();
    }
    for (String output : List.of("api/target/api-exec.jar", ".git/HEAD", "worker/target-x/a")) {
      assertThat(ignored(patterns, output)).as(output).isTrue();
    }
    // The root POM lists every module, so Maven needs them all in the build context.
    Matcher module =
        Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
    while (module.find()) {
      assertThat(ignored(patterns, module.group(1) + "/pom.xml")).as(module.group(1)).isFalse();
    }
  }

  @Test
  void readmeExplainsASecondHostAndWhereToLookAtAStuckOperation() {
    assertThat(readmeComposeSection())
        .contains(
            "SANDBAR_HOST_ID",
            "/var/run/docker.sock",
            "GET /v1/operations/stuck",
            "TEMPORAL_UI_URL",
            WorkflowIds.sandbox("<sandboxId>"),
            WorkflowIds.exec("<sandboxId>", "<taskId>"),
            WorkflowIds.archiveDeletion("<archiveId>"),
            TaskPrunerWorkflow.WORKFLOW_ID);
    for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
      assertThat(readmeComposeSection()).contains(key.getName());
    }
  }

  private static boolean ignored(List<String> patterns, String path) {
    String[] parts = path.split("/");
    for (int i = 1; i <= parts.length; i++) {
      Path prefix = Path.of(String.join("/", Arrays.copyOf(parts, i)));
      for (String pattern : patterns) {
        if (FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(prefix)
            || (pattern.startsWith("**/")
                && FileSystems.getDefault()
                    .getPathMatcher("glob:" + pattern.substring(3))
                    .matches(prefix))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String adminToolsNamespace() {
    Matcher namespace =
        Pattern.compile("(?m)^namespace=(\\S+)$").matcher(command("temporal-admin-tools"));
    assertThat(namespace.find()).isTrue();
    return namespace.group(1);
  }
}
