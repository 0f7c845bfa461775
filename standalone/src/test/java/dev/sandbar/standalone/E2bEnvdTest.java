package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.e2b.SandboxAccessTokens;
import dev.sandbar.standalone.ConnectClient.Answer;
import dev.sandbar.standalone.ConnectClient.Frame;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * E2B's in-sandbox protocol ({@code /e2b/sandbox}) spoken as Connect with JSON straight over HTTP,
 * against a real sandbox: processes on Sandbar's exec, files on the native files service, and the
 * access token.
 */
class E2bEnvdTest extends OneSandboxTest {

  @Autowired SandboxAccessTokens tokens;
  @Autowired Jdbi jdbi;

  ConnectClient envd;
  String tenantId;

  @BeforeEach
  void envdClient() {
    tenantId =
        jdbi.withHandle(
            h ->
                h.createQuery("select tenant_id from sandboxes where id = :id")
                    .bind("id", sandbox)
                    .mapTo(String.class)
                    .one());
    envd = new ConnectClient(port, sandbox, tokens.tokenFor(tenantId, sandbox));
  }

  @Test
  void startStreamsStdoutAndStderrWhileTheCommandRunsAndEndsWithItsExitCode() {
    try (ConnectClient.Stream stream =
        envd.stream(
            "process.Process/Start",
            startRequest("echo one; echo err >&2; sleep 3; echo two; exit 3", false),
            Map.of("Keepalive-Ping-Interval", "50"))) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("application/connect+json");
      int pid = stream.next().message().at("/event/start/pid").asInt();
      assertThat(pid).isPositive();

      Frame first = nextData(stream);
      assertThat(decode(first.message().at("/event/data/stdout"))).isEqualTo("one\n");
      // The first line arrived while the command still ran: it is in the list of processes.
      Answer list = envd.unary("process.Process/List", "{}");
      assertThat(list.status()).as(list.body().toString()).isEqualTo(200);
      JsonNode listed =
          list.body()
              .get("processes")
              .valueStream()
              .filter(p -> p.get("pid").asInt() == pid)
              .findFirst()
              .orElseThrow();
      assertThat(listed.at("/config/cmd").asString()).isEqualTo("/bin/bash");
      assertThat(listed.at("/config/args/2").asString()).startsWith("echo one");

      List<Frame> rest = stream.rest();
      assertThat(output(List.of(first), "stdout") + output(rest, "stdout")).isEqualTo("one\ntwo\n");
      assertThat(output(rest, "stderr")).isEqualTo("err\n");
      JsonNode end = endEvent(rest);
      assertThat(end.get("exitCode").asInt()).isEqualTo(3);
      assertThat(end.get("exited").asBoolean()).isTrue();
      assertThat(end.get("status").asString()).isEqualTo("exit status 3");
      assertThat(rest.getLast().message().isEmpty()).as(rest.getLast().toString()).isTrue();
    }
  }

  @Test
  void connectReattachesToARunningProcessWhichRunsOnce() {
    int pid;
    try (ConnectClient.Stream stream =
        envd.stream(
            "process.Process/Start",
            startRequest("echo run >> /tmp/e2b-runs; echo a; sleep 3; echo b", false),
            Map.of())) {
      pid = stream.next().message().at("/event/start/pid").asInt();
    }
    // The first client went away; the process goes on, and a second one follows it to its end.
    try (ConnectClient.Stream again =
        envd.stream("process.Process/Connect", "{\"process\": {\"pid\": " + pid + "}}", Map.of())) {
      assertThat(again.next().message().at("/event/start/pid").asInt()).isEqualTo(pid);
      List<Frame> rest = again.rest();
      assertThat(output(rest, "stdout")).isEqualTo("a\nb\n");
      assertThat(endEvent(rest).get("exitCode").asInt()).isZero();
    }
    assertThat(Shell.run(docker, "sandbar-" + sandbox, "grep -c run /tmp/e2b-runs"))
        .isEqualTo("1\n");
    Answer missing = envd.unary("process.Process/SendInput", "{\"process\": {\"pid\": 999999999}}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().get("code").asString()).isEqualTo("not_found");
  }

  @Test
  void sendInputAndCloseStdinReachACat() {
    try (ConnectClient.Stream stream =
        envd.stream("process.Process/Start", startRequest("cat", true), Map.of())) {
      int pid = stream.next().message().at("/event/start/pid").asInt();
      String selector = "{\"pid\": " + pid + "}";
      Answer sent =
          envd.unary(
              "process.Process/SendInput",
              "{\"process\": "
                  + selector
                  + ", \"input\": {\"stdin\": \""
                  + Base64.getEncoder().encodeToString("hello\n".getBytes(StandardCharsets.UTF_8))
                  + "\"}}");
      assertThat(sent.status()).as(sent.body().toString()).isEqualTo(200);
      assertThat(decode(nextData(stream).message().at("/event/data/stdout"))).isEqualTo("hello\n");

      Answer closed = envd.unary("process.Process/CloseStdin", "{\"process\": " + selector + "}");
      assertThat(closed.status()).as(closed.body().toString()).isEqualTo(200);
      assertThat(endEvent(stream.rest()).get("exitCode").asInt()).isZero();
    }
  }

  @Test
  void sendSignalKillsTheProcess() {
    try (ConnectClient.Stream stream =
        envd.stream("process.Process/Start", startRequest("sleep 300", false), Map.of())) {
      int pid = stream.next().message().at("/event/start/pid").asInt();
      String signal = "{\"process\": {\"pid\": " + pid + "}, \"signal\": \"SIGNAL_SIGKILL\"}";
      Answer killed = envd.unary("process.Process/SendSignal", signal);
      assertThat(killed.status()).as(killed.body().toString()).isEqualTo(200);
      JsonNode end = endEvent(stream.rest());
      assertThat(end.get("exited").asBoolean()).isFalse();
      assertThat(end.get("status").asString()).contains("killed");
      assertThat(
              envd.unary("process.Process/List", "{}")
                  .body()
                  .get("processes")
                  .valueStream()
                  .map(p -> p.get("pid").asInt()))
          .doesNotContain(pid);
      Answer again = envd.unary("process.Process/SendSignal", signal);
      assertThat(again.body().get("code").asString()).isEqualTo("not_found");
    }
  }

  @Test
  void filesystemCallsAndFileTransfers() {
    Answer made = envd.unary("filesystem.Filesystem/MakeDir", "{\"path\": \"/data/e2b/dir\"}");
    assertThat(made.status()).as(made.body().toString()).isEqualTo(200);
    assertThat(made.body().at("/entry/type").asString()).isEqualTo("FILE_TYPE_DIRECTORY");
    Answer twice = envd.unary("filesystem.Filesystem/MakeDir", "{\"path\": \"/data/e2b/dir\"}");
    assertThat(twice.body().get("code").asString()).isEqualTo("already_exists");

    HttpResponse<String> octet =
        ConnectClient.send(
            envd.files("path=" + encode("/data/e2b/dir/a.txt") + "&username=user")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("hi"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(octet.statusCode()).as(octet.body()).isEqualTo(200);
    assertThat(octet.body()).contains("\"path\":\"/data/e2b/dir/a.txt\"");

    String boundary = "sandbarBoundary42";
    String form =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/data/e2b/form.txt\""
            + "\r\nContent-Type: application/octet-stream\r\n\r\nfrom a form\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> multipart =
        ConnectClient.send(
            // As the SDK's writeFiles sends it: no path in the query, each part's name its path.
            envd.files("username=user")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(200);
    assertThat(download("/data/e2b/form.txt").body()).isEqualTo("from a form");
    HttpResponse<String> garbled =
        ConnectClient.send(
            envd.files("username=user")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString("not a form at all"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(garbled.statusCode()).as(garbled.body()).isEqualTo(400);
    assertThat(garbled.body()).contains("\"code\":400");

    Answer stat = envd.unary("filesystem.Filesystem/Stat", "{\"path\": \"/data/e2b/dir/a.txt\"}");
    assertThat(stat.status()).as(stat.body().toString()).isEqualTo(200);
    assertThat(stat.body().at("/entry/type").asString()).isEqualTo("FILE_TYPE_FILE");
    assertThat(stat.body().at("/entry/size").asString()).isEqualTo("2");
    assertThat(stat.body().at("/entry/name").asString()).isEqualTo("a.txt");

    Answer listed =
        envd.unary("filesystem.Filesystem/ListDir", "{\"path\": \"/data/e2b\", \"depth\": 2}");
    assertThat(listed.status()).as(listed.body().toString()).isEqualTo(200);
    assertThat(listed.body().get("entries").valueStream().map(e -> e.get("path").asString()))
        .containsExactlyInAnyOrder("/data/e2b/dir", "/data/e2b/dir/a.txt", "/data/e2b/form.txt");

    Answer moved =
        envd.unary(
            "filesystem.Filesystem/Move",
            "{\"source\": \"/data/e2b/dir/a.txt\", \"destination\": \"/data/e2b/dir/b.txt\"}");
    assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
    assertThat(moved.body().at("/entry/path").asString()).isEqualTo("/data/e2b/dir/b.txt");
    assertThat(
            envd.unary("filesystem.Filesystem/Stat", "{\"path\": \"/data/e2b/dir/a.txt\"}")
                .body()
                .get("code")
                .asString())
        .isEqualTo("not_found");
    HttpResponse<String> got = download("/data/e2b/dir/b.txt");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("hi");

    Answer removed = envd.unary("filesystem.Filesystem/Remove", "{\"path\": \"/data/e2b\"}");
    assertThat(removed.status()).as(removed.body().toString()).isEqualTo(200);
    assertThat(envd.unary("filesystem.Filesystem/Stat", "{\"path\": \"/data/e2b\"}").status())
        .isEqualTo(404);
    assertThat(download("/data/e2b/dir/b.txt").statusCode()).isEqualTo(404);
  }

  @Test
  void healthIsNoContentWhileTheSandboxRunsAndBadGatewayToAStranger() {
    HttpResponse<String> healthy = health(envd);
    assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(204);
    HttpResponse<String> stranger = health(envd.withToken("sbe_not-the-token"));
    assertThat(stranger.statusCode()).isEqualTo(502);
    assertThat(health(envd.forSandbox("sb-does-not-exist")).body()).isEqualTo(stranger.body());
  }

  private static HttpResponse<String> health(ConnectClient client) {
    return ConnectClient.send(
        client.get("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aWrongOrMissingTokenIsRejectedWithoutSayingWhetherTheSandboxExists() {
    List<ConnectClient> strangers =
        List.of(
            envd.withToken("sbe_not-the-token"),
            envd.withToken(tokens.tokenFor("some-other-tenant", sandbox)),
            envd.withToken(""),
            envd.forSandbox("sb-does-not-exist"));
    for (ConnectClient stranger : strangers) {
      Answer list = stranger.unary("process.Process/List", "{}");
      assertThat(list.status()).isEqualTo(401);
      assertThat(list.body().get("code").asString()).isEqualTo("unauthenticated");
      try (ConnectClient.Stream stream =
          stranger.stream("process.Process/Start", startRequest("echo no", false), Map.of())) {
        Frame end = stream.next();
        assertThat(end.isEnd()).isTrue();
        assertThat(end.message().at("/error/code").asString()).isEqualTo("unauthenticated");
      }
      HttpResponse<String> download =
          ConnectClient.send(
              stranger.files("path=" + encode("/etc/passwd")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(download.statusCode()).isEqualTo(401);
      assertThat(download.body()).doesNotContain("root:");
    }
  }

  @Test
  void pathsThatEscapeAreRejected() {
    Shell.run(docker, "sandbar-" + sandbox, "mkdir -p /data/esc && ln -sfn / /data/esc/root");
    for (String path :
        List.of("/data/../etc/passwd", "/.sandbar", "/proc/self/environ", "/data/esc/root/etc")) {
      Answer stat = envd.unary("filesystem.Filesystem/Stat", "{\"path\": \"" + path + "\"}");
      assertThat(stat.status()).as(path + ": " + stat.body()).isEqualTo(400);
      assertThat(stat.body().get("code").asString()).isEqualTo("invalid_argument");
      assertThat(download(path).statusCode()).as(path).isEqualTo(400);
    }
    // A walk of the root lists the reserved trees without looking into them.
    Answer root = envd.unary("filesystem.Filesystem/ListDir", "{\"path\": \"/\", \"depth\": 2}");
    assertThat(root.status()).as(root.body().toString()).isEqualTo(200);
    assertThat(root.body().get("entries").valueStream().map(e -> e.get("path").asString()))
        .contains("/data", "/data/esc", "/proc")
        .noneMatch(p -> p.startsWith("/proc/") || p.startsWith("/.sandbar/"));
    Answer escape =
        envd.unary(
            "filesystem.Filesystem/Move",
            "{\"source\": \"/etc/hostname\", \"destination\": \"/data/esc/root/tmp/x\"}");
    assertThat(escape.status()).as(escape.body().toString()).isEqualTo(400);
  }

  @Test
  void unsupportedCallsAnswerAnErrorNamingTheCall() {
    Answer update = envd.unary("process.Process/Update", "{}");
    assertThat(update.status()).isEqualTo(501);
    assertThat(update.body().get("code").asString()).isEqualTo("unimplemented");
    assertThat(update.body().get("message").asString()).contains("process.Process/Update");
    try (ConnectClient.Stream watch =
        envd.stream("filesystem.Filesystem/WatchDir", "{\"path\": \"/data\"}", Map.of())) {
      Frame end = watch.next();
      assertThat(end.isEnd()).isTrue();
      assertThat(end.message().at("/error/message").asString())
          .contains("filesystem.Filesystem/WatchDir");
    }
  }

  private HttpResponse<String> download(String path) {
    return ConnectClient.send(
        envd.files("path=" + encode(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A Start request as the SDK's {@code commands.run} makes it: bash -l -c the command. */
  private static String startRequest(String command, boolean stdin) {
    return ConnectClient.JSON
        .createObjectNode()
        .<tools.jackson.databind.node.ObjectNode>set(
            "process",
            ConnectClient.JSON
                .createObjectNode()
                .put("cmd", "/bin/bash")
                .set("args", ConnectClient.JSON.createArrayNode().add("-l").add("-c").add(command)))
        .put("stdin", stdin)
        .toString();
  }

  private static Frame nextData(ConnectClient.Stream stream) {
    while (true) {
      Frame frame = stream.next();
      assertThat(frame.isEnd()).as("the stream ended before any output: " + frame).isFalse();
      if (frame.message().at("/event/data").isObject()) {
        return frame;
      }
    }
  }

  private static String output(List<Frame> frames, String stream) {
    StringBuilder text = new StringBuilder();
    for (Frame frame : frames) {
      JsonNode data = frame.message().at("/event/data/" + stream);
      if (!data.isMissingNode()) {
        text.append(decode(data));
      }
    }
    return text.toString();
  }

  private static JsonNode endEvent(List<Frame> frames) {
    assertThat(frames.getLast().isEnd()).isTrue();
    assertThat(frames.getLast().message().has("error")).as(frames.getLast().toString()).isFalse();
    return frames.stream()
        .map(f -> f.message().at("/event/end"))
        .filter(JsonNode::isObject)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no end event in " + frames));
  }

  private static String decode(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asString()), StandardCharsets.UTF_8);
  }

  private static String encode(String path) {
    return URLEncoder.encode(path, StandardCharsets.UTF_8);
  }
}
