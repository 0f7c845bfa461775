package dev.sandbar.api.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Texts that cannot be stored or handed on (NUL, unpaired surrogates) are refused where they enter,
 * whichever field carries them, with a 400 naming the field; bodies over the size limit are a 413
 * and bodies nested too deep a 400, all before anything is written.
 */
class EdgeInputTest extends ApiIntegrationTest {

  private static final String NUL = "\\u0000";
  private static final String LONE_SURROGATE = "\\ud800";

  private String sandbox;

  @BeforeEach
  void setUp() {
    ensureBaseImageHost();
    // Stopped: it holds no room on the shared test host, and every check here comes first.
    sandbox = insertSandbox(tenant.id(), "stopped", Instant.now(), Map.of());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"image": "busybox@@"}                                | image
          {"command": ["sh", "-c", "@@"]}                       | command[2]
          {"env": {"A": "x@@"}}                                 | env.A
          {"env": {"A@@": "x"}}                                 | env
          {"labels": {"team": "a@@"}}                           | labels.team
          {"labels": {"te@@am": "a"}}                           | labels
          {"hostSelector": {"gpu": "@@"}}                       | hostSelector.gpu
          {"dataPath": "/data@@"}                               | dataPath
          {"networkMode": "none@@"}                             | networkMode
          {"restoreFrom": "ar-@@"}                              | restoreFrom
          {"idleAction": "pause@@"}                             | idleAction
          {"restartPolicy": "never@@"}                          | restartPolicy
          {"user": "1000@@"}                                    | user
          {"healthcheck": {"test": ["CMD-SHELL", "true@@"]}}    | healthcheck.test[1]
          """)
  void badTextInAnyCreateFieldIsRejectedAndCreatesNothing(String template, String field) {
    for (String bad : new String[] {NUL, LONE_SURROGATE}) {
      Response response = post("/v1/sandboxes", tenant.key(), template.replace("@@", bad));
      assertRefused(response, template, bad, field);
      assertThat(sandboxRows(tenant.id())).as(template).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"command": "echo @@"}                                | command
          {"command": "true", "description": "d@@"}            | description
          {"command": "true", "cwd": "/tmp@@"}                  | cwd
          {"command": "true", "env": {"A": "@@"}}               | env.A
          {"command": "true", "env": {"A@@": "x"}}              | env
          {"command": "true", "sessionId": "s@@"}               | sessionId
          """)
  void badTextInAnyExecFieldIsRejectedAndStartsNothing(String template, String field) {
    for (String bad : new String[] {NUL, LONE_SURROGATE}) {
      Response response =
          post("/v1/sandboxes/" + sandbox + "/exec", tenant.key(), template.replace("@@", bad));
      assertRefused(response, template, bad, field);
      assertThat(taskRows()).as(template).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"id": "tn-@@", "name": "x"}   | id
          {"name": "x@@"}                | name
          """)
  void badTextInAdminBodiesIsRejected(String template, String field) {
    int tenants = tenantRows();
    Response response = post("/v1/admin/tenants", ADMIN_KEY, template.replace("@@", NUL));
    assertInvalid(response, field);
    assertThat(tenantRows()).isEqualTo(tenants);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/notifications/drain?sessionId=a%00b",
        "/notifications/drain?waitSeconds=0&sessionId=%ED%A0%80",
        "/tasks?sessionId=a%00",
        "/tasks?status=running%00",
      })
  void nulInAQueryParameterIsABadRequestNamingIt(String pathAndQuery) {
    String method = pathAndQuery.startsWith("/notifications") ? "POST" : "GET";
    Response response =
        send(method, "/v1/sandboxes/" + sandbox + pathAndQuery, tenant.key(), null, Map.of());
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith(PROBLEM_JSON);
  }

  @Test
  void nulInAListQueryParameterNamesIt() {
    assertInvalid(get("/v1/sandboxes?label=team%3Da%00", tenant.key()), "label");
    assertInvalid(get("/v1/sandboxes?state=running%00", tenant.key()), "state");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1/sandboxes/..%2F..%2Fetc",
        "/v1/sandboxes/sb-1%2Fstop",
        "/v1/sandboxes/%2e%2e",
        "/v1/sandboxes/sb%00x",
        "/v1/sandboxes/sb%5Cx",
        "/v1/archives/..%2Fx",
      })
  void aMalformedPathIdIsAProblemNeverHtml(String path) {
    Response response = get(path, tenant.key());
    assertThat(response.status()).as(path + " " + response.body()).isBetween(400, 499);
    assertThat(response.contentType()).as(path).startsWith(PROBLEM_JSON);
    assertThat(response.json().path("type").asString()).startsWith("https://sandbar.dev/problems/");
  }

  @Test
  void aPathIdOutsideTheIdAlphabetNamesTheVariable() {
    assertInvalid(get("/v1/sandboxes/sb-1%20x", tenant.key()), "id");
    assertInvalid(get("/v1/sandboxes/" + "a".repeat(256), tenant.key()), "id");
    assertInvalid(
        send("DELETE", "/v1/sandboxes/" + sandbox + "/tasks/t%3Bx", tenant.key(), null, Map.of()),
        "taskId");
  }

  @Test
  void aBodyOverTheLimitIsRejectedBeforeItIsRead() {
    String body = "{\"command\": \"" + "x".repeat(1024 * 1024) + "\"}";
    Response response = post("/v1/sandboxes/" + sandbox + "/exec", tenant.key(), body);
    assertProblem(response, 413, "payload-too-large");
    assertThat(taskRows()).isZero();
  }

  @Test
  void aChunkedBodyOverTheLimitIsRejectedToo() throws Exception {
    byte[] chunk = "\"xxxxxxxx\", ".repeat(6 * 1024).getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/sandboxes"))
            .header("Authorization", "Bearer " + tenant.key())
            .header("Content-Type", "application/json")
            // No length: the body streams until the server stops reading it.
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString("{\"command\": ["),
                    HttpRequest.BodyPublishers.ofInputStream(() -> repeating(chunk, 40))))
            .timeout(Duration.ofSeconds(60))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM_JSON));
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  @Test
  void deepNestingIsRejected() {
    String body = "{\"labels\": " + "[".repeat(1000) + "]".repeat(1000) + "}";
    Response response = post("/v1/sandboxes", tenant.key(), body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith(PROBLEM_JSON);
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  @Test
  void aStringLongerThanTheParserBoundIsRejected() {
    String body = "{\"image\": \"" + "a".repeat(300 * 1024) + "\"}";
    Response response = post("/v1/sandboxes", tenant.key(), body);
    assertProblem(response, 400, "malformed-request");
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  /**
   * A 400 naming the field; but the parser itself refuses an unpaired surrogate in an object key
   * (before any field is known), which is a 400 malformed-request.
   */
  private static void assertRefused(Response response, String template, String bad, String field) {
    if (bad.equals(LONE_SURROGATE) && template.matches(".*@@[^\"]*\":.*")) {
      assertProblem(response, 400, "malformed-request");
    } else {
      assertInvalid(response, field);
    }
  }

  private int taskRows() {
    return queryOne(
        "select count(*) from exec_tasks where sandbox_id = :id", sandbox, Integer.class);
  }

  private int tenantRows() {
    return jdbi.withHandle(
        handle -> handle.createQuery("select count(*) from tenants").mapTo(Integer.class).one());
  }

  private static InputStream repeating(byte[] chunk, int times) {
    return new InputStream() {
      private int left = times;
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (left == 0) {
          return -1;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, n);
        position += n;
        if (position == chunk.length) {
          position = 0;
          left--;
        }
        return n;
      }
    };
  }
}
