package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.store.StoredJson;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The create request's placement fields: requests and a host selector are validated (400 naming the
 * field), echoed back and stored; a sandbox no online host can take is refused with a 503 naming
 * the constraint that binds, and nothing is written.
 */
class PlacementAdmissionTest extends ApiIntegrationTest {

  @BeforeEach
  void baseImageHost() {
    ensureBaseImageHost();
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of("{\"resources\": {\"requestCpus\": 0}}", "resources.requestCpus"),
        Arguments.of("{\"resources\": {\"requestCpus\": -0.5}}", "resources.requestCpus"),
        Arguments.of(
            "{\"resources\": {\"cpus\": 1, \"requestCpus\": 1.5}}", "resources.requestCpus"),
        Arguments.of("{\"resources\": {\"requestMemoryMb\": 0}}", "resources.requestMemoryMb"),
        Arguments.of(
            "{\"resources\": {\"memoryMb\": 512, \"requestMemoryMb\": 513}}",
            "resources.requestMemoryMb"),
        Arguments.of("{\"hostSelector\": {\"GPU\": \"true\"}}", "hostSelector.GPU"),
        Arguments.of("{\"hostSelector\": {\"gpu\": \"yes please\"}}", "hostSelector.gpu"),
        Arguments.of("{\"hostSelector\": {\"gpu\": \"\"}}", "hostSelector.gpu"),
        Arguments.of("{\"hostSelector\": {\"gpu\": null}}", "hostSelector.gpu"),
        Arguments.of("{\"hostSelector\": " + manyEntries("k", 21) + "}", "hostSelector"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidPlacementFieldsAreRejectedWithoutWritingARow(String body, String field) {
    assertInvalid(post("/v1/sandboxes", tenant.key(), body), field);
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void requestsAndSelectorAreStoredAndEchoed() {
    String zone = uniqueZone();
    insertLabelledHost("host-" + zone, 100, "zone=" + zone, "gpu=true");

    Response response =
        post(
            "/v1/sandboxes",
            tenant.key(),
            """
            {"resources": {"cpus": 2, "requestCpus": 0.5, "memoryMb": 1024,
                           "requestMemoryMb": 300},
             "hostSelector": {"zone": "%s", "gpu": "true"}}
            """
                .formatted(zone));

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().path("resources").path("requestCpus").asDouble()).isEqualTo(0.5);
    assertThat(response.json().path("resources").path("requestMemoryMb").asLong()).isEqualTo(300);
    assertThat(response.json().path("hostSelector").path("zone").asString()).isEqualTo(zone);
    assertThat(response.json().path("hostSelector").path("gpu").asString()).isEqualTo("true");
    SandboxSpec stored =
        StoredJson.read(
            queryOne(
                "select spec::text from sandboxes where id = :id",
                response.json().path("id").asString(),
                String.class),
            SandboxSpec.class);
    assertThat(stored.hostLabels()).containsExactly("gpu=true", "zone=" + zone);
    assertThat(stored.resources().requestCpus()).isEqualTo(0.5);
  }

  @Test
  void noHostWithRoomForTheCpuRequestAnswers503NamingIt() {
    Response response =
        post("/v1/sandboxes", tenant.key(), "{\"resources\": {\"cpus\": 64, \"requestCpus\": 64}}");

    assertNoHost(response, "no online host with room for 64.0 requested CPUs");
  }

  @Test
  void noHostWithRoomForTheMemoryRequestAnswers503NamingIt() {
    Response response =
        post(
            "/v1/sandboxes",
            tenant.key(),
            "{\"resources\": {\"memoryMb\": 262144, \"requestMemoryMb\": 262144}}");

    assertNoHost(response, "no online host with room for 262144 MB of requested memory");
  }

  @Test
  void noHostMatchingTheSelectorAnswers503NamingIt() {
    String zone = uniqueZone();

    Response response =
        post(
            "/v1/sandboxes",
            tenant.key(),
            "{\"hostSelector\": {\"zone\": \"" + zone + "\", \"gpu\": \"true\"}}");

    assertNoHost(response, "no online host matches hostSelector gpu=true,zone=" + zone);
  }

  @Test
  void everyMatchingHostAtMaxSandboxesAnswers503NamingIt() {
    String zone = uniqueZone();
    String host = "host-" + zone;
    insertLabelledHost(host, 1, "zone=" + zone);
    String existing = insertRunningSandbox(tenant.id());
    jdbi.useHandle(
        handle -> handle.execute("update sandboxes set host_id = ? where id = ?", host, existing));

    Response response =
        post("/v1/sandboxes", tenant.key(), "{\"hostSelector\": {\"zone\": \"" + zone + "\"}}");

    assertThat(response.json().path("detail").asString())
        .isEqualTo("every matching host is at maxSandboxes");
    assertProblem(response, 503, "no-host-capacity");
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  private void assertNoHost(Response response, String detail) {
    assertProblem(response, 503, "no-host-capacity");
    assertThat(response.json().path("detail").asString()).isEqualTo(detail);
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  /** A label value no other test's host carries: the tests share one database. */
  private static String uniqueZone() {
    return RandomIds.lowerAlphanumeric("z", 12);
  }

  private void insertLabelledHost(String id, int maxSandboxes, String... labels) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into hosts (id, task_queue, state, cpus, memory_mb, max_sandboxes,
                                       labels, images, docker_reachable, last_heartbeat_at,
                                       started_at)
                    values (:id, :queue, 'online', 8, 16384, :max, cast(:labels as jsonb),
                            cast(:images as jsonb), true, now(), now())
                    """)
                .bind("id", id)
                .bind("queue", "sandbar-host-" + id)
                .bind("max", maxSandboxes)
                .bind("labels", StoredJson.write(List.of(labels)))
                .bind("images", StoredJson.write(List.of(BASE_IMAGE)))
                .execute());
  }
}
