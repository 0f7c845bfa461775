package dev.sandbar.api;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.auth.ApiKeyService;
import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.testing.ApiClient;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.archive.ArchiveDao;
import dev.sandbar.store.archive.ArchiveRow;
import dev.sandbar.store.notification.NotificationDao;
import dev.sandbar.store.notification.NotificationRow;
import dev.sandbar.store.sandbox.NewSandbox;
import dev.sandbar.store.sandbox.SandboxDao;
import dev.sandbar.store.sandbox.SandboxStatus;
import dev.sandbar.store.sandbox.SandboxStatusDao;
import dev.sandbar.store.testing.PostgresExtension;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API on a random port, against a real (embedded) PostgreSQL and an in-process Temporal
 * service, driven over real HTTP. Tests share the database, so each makes its own tenant.
 */
@SpringBootTest(
    classes = {ApiApplication.class, TemporalTestConfiguration.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sandbar.admin-key=" + ApiIntegrationTest.ADMIN_KEY)
public abstract class ApiIntegrationTest {

  public static final String ADMIN_KEY = "test-admin-key";
  protected static final String PROBLEM_JSON = "application/problem+json";
  protected static final String BASE_IMAGE = "sandbar-base:latest";

  /** One migrated PostgreSQL for every test in the JVM; tests share it, so each makes a tenant. */
  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @LocalServerPort protected int port;
  @Autowired protected Jdbi jdbi;
  @Autowired protected ApiKeyService apiKeys;

  /** A tenant of the running test's own, made before each test. */
  protected TestTenant tenant;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("sandbar.db.url", POSTGRES::jdbcUrl);
    registry.add("sandbar.db.user", POSTGRES::user);
    registry.add("sandbar.db.password", POSTGRES::password);
  }

  /** A tenant with one API key, unique to the calling test. */
  protected record TestTenant(String id, String key) {}

  @BeforeEach
  void newTenantForTheTest() {
    tenant = newTenant();
  }

  protected TestTenant newTenant() {
    String id = RandomIds.lowerAlphanumeric("t-", 10);
    String key = RandomIds.lowerAlphanumeric("key-", 32);
    apiKeys.ensureTenant(id, "tenant " + id);
    apiKeys.ensureKey(id, key);
    return new TestTenant(id, key);
  }

  protected Response get(String path, String key) {
    return send("GET", path, key, null, Map.of());
  }

  protected Response post(String path, String key, String body) {
    return send("POST", path, key, body, Map.of());
  }

  protected Response delete(String path, String key) {
    return send("DELETE", path, key, null, Map.of());
  }

  protected Response send(
      String method, String path, String key, String body, Map<String, String> headers) {
    return new ApiClient(port, Duration.ofSeconds(60)).send(method, path, key, body, headers);
  }

  /** Asserts a problem answer: status, content type, type URI, and no leaked internals. */
  protected static void assertProblem(Response response, int status, String typeSlug) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).as(response.body()).startsWith(PROBLEM_JSON);
    assertThat(response.json().path("type").asString())
        .isEqualTo("https://sandbar.dev/problems/" + typeSlug);
    assertThat(response.json().path("title").asString()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
  }

  /** Asserts a 400 validation problem that names {@code field} among the invalid fields. */
  protected static void assertInvalid(Response response, String field) {
    assertProblem(response, 400, "validation");
    assertThat(response.invalidFields()).contains(field);
  }

  protected void insertHost(
      String id, String state, Instant lastHeartbeat, boolean dockerReachable, String... images) {
    update(
        """
        insert into hosts (id, task_queue, state, cpus, memory_mb, max_sandboxes,
                           labels, images, docker_reachable, last_heartbeat_at,
                           started_at)
        values (:id, :queue, :state, 8, 16384, 100, '[]', cast(:images as jsonb),
                :docker, :heartbeat, :heartbeat)
        on conflict (id) do update
           set state = excluded.state, images = excluded.images,
               docker_reachable = excluded.docker_reachable,
               last_heartbeat_at = excluded.last_heartbeat_at
        """,
        Map.ofEntries(
            entry("id", id),
            entry("queue", "sandbar-host-" + id),
            entry("state", state),
            entry("images", StoredJson.write(Arrays.asList(images))),
            entry("docker", dockerReachable),
            entry("heartbeat", lastHeartbeat)));
  }

  /** An online host with a fresh heartbeat that has the base image. */
  protected void ensureBaseImageHost() {
    insertHost("base-host", "online", Instant.now(), true, BASE_IMAGE);
  }

  /** The spec of a sandbox created with an empty request but for {@code labels}. */
  protected static SandboxSpec defaultSpec(Map<String, String> labels) {
    return new SandboxSpec(
        BASE_IMAGE,
        List.of(),
        Map.of(),
        labels,
        Resources.DEFAULT,
        900,
        IdleAction.PAUSE,
        0,
        "/data",
        "isolated",
        null,
        List.of());
  }

  /** A running sandbox of the tenant's, as {@link #insertSandbox} writes it; answers its id. */
  protected String insertRunningSandbox(String tenantId) {
    return insertSandbox(tenantId, "running", Instant.now(), Map.of());
  }

  /** Writes a sandbox row the way the API and its workflow would, bypassing both. */
  protected String insertSandbox(
      String tenantId, String state, Instant createdAt, Map<String, String> labels) {
    String id = RandomIds.lowerAlphanumeric("sb-", 20);
    SandboxSpec spec = defaultSpec(labels);
    Instant at = createdAt.truncatedTo(ChronoUnit.MICROS);
    jdbi.useTransaction(
        handle -> {
          handle
              .attach(SandboxDao.class)
              .insert(
                  new NewSandbox(
                      id,
                      tenantId,
                      BASE_IMAGE,
                      1,
                      512,
                      StoredJson.write(spec),
                      StoredJson.write(labels),
                      null,
                      at,
                      null));
          handle
              .attach(SandboxStatusDao.class)
              .applyIfNewer(new SandboxStatus(id, state, "base-host", null, null, 3, null, at, at));
        });
    return id;
  }

  /** Writes an archive row the way a sandbox workflow's store activity would; answers its id. */
  protected String insertArchive(
      String tenantId, String sandboxId, String status, Instant createdAt, String sha256) {
    String id = RandomIds.lowerAlphanumeric("ar-", 20);
    Instant at = createdAt.truncatedTo(ChronoUnit.MICROS);
    ArchiveRow row =
        new ArchiveRow(id, sandboxId, tenantId, "base-host", 4096, sha256, status, null, at);
    jdbi.useExtension(ArchiveDao.class, archives -> archives.upsert(row));
    return id;
  }

  /** Writes a notification the way a command's workflow would; answers its id. */
  protected String insertNotification(
      String tenantId, String sandboxId, String sessionId, String taskId, String kind) {
    String id = RandomIds.lowerAlphanumeric("n-", 16);
    NotificationRow row =
        new NotificationRow(
            0,
            id,
            sandboxId,
            tenantId,
            sessionId,
            taskId,
            kind,
            "completed",
            0,
            "task " + taskId + " completed",
            Instant.now());
    jdbi.useExtension(NotificationDao.class, notifications -> notifications.insert(row));
    return id;
  }

  /** Runs {@code sql} with each of {@code values} bound by its name. */
  private void update(String sql, Map<String, ?> values) {
    jdbi.useHandle(handle -> handle.createUpdate(sql).bindMap(values).execute());
  }

  protected int notificationRows(String sandboxId) {
    return queryOne(
        "select count(*) from notifications where sandbox_id = :id", sandboxId, Integer.class);
  }

  protected int sandboxRows(String tenantId) {
    return queryOne(
        "select count(*) from sandboxes where tenant_id = :id", tenantId, Integer.class);
  }

  /** The one value {@code sql} selects, with {@code :id} bound to {@code id}. */
  protected <T> T queryOne(String sql, String id, Class<T> type) {
    return jdbi.withHandle(handle -> handle.createQuery(sql).bind("id", id).mapTo(type).one());
  }

  /**
   * Reads {@code probe} until {@code done} holds of what it read or {@code timeout} has passed;
   * answers the last value read, for the caller to assert on.
   */
  protected static <T> T poll(
      Duration timeout, Duration pause, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = probe.get();
    }
    return last;
  }

  /** A JSON object of {@code count} string members named {@code keyPrefix0}, {@code keyPrefix1}… */
  protected static String manyEntries(String keyPrefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "\"" + keyPrefix + i + "\": \"v\"")
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
