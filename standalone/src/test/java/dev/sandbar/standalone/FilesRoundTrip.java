package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.api.testing.ApiClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Every files operation once against a running sandbox, checked through the API and, behind its
 * back, in the container on its own Docker daemon: for deployments where the bytes take another way
 * than {@link FilesTest}'s (another host's worker, a separate API process).
 */
final class FilesRoundTrip {

  private final SandbarTestSupport api;
  private final String key;
  private final FileTransfers transfers;
  private final DockerClient docker;
  private final String sandbox;

  /** As the default tenant. */
  FilesRoundTrip(SandbarTestSupport api, int port, DockerClient docker, String sandbox) {
    this(api, port, SandbarTestSupport.API_KEY, docker, sandbox);
  }

  FilesRoundTrip(
      SandbarTestSupport api, int port, String key, DockerClient docker, String sandbox) {
    this.api = api;
    this.key = key;
    this.transfers = new FileTransfers(port, key);
    this.docker = docker;
    this.sandbox = sandbox;
  }

  /** mkdir, upload (new and replaced), list, download, delete, and a missing file's 404. */
  void movesListsMakesAndDeletes() {
    Response made = call("POST", "/files/mkdir", "/data/rt/a");
    assertThat(made.status()).as(made.body()).isEqualTo(204);
    assertThat(transfers.put(sandbox, "/data/rt/hello.txt", "héllo").statusCode()).isEqualTo(204);
    assertThat(sh("cat /data/rt/hello.txt; stat -c %a /data/rt/hello.txt")).isEqualTo("héllo644\n");
    sh("chmod 600 /data/rt/hello.txt");
    assertThat(transfers.put(sandbox, "/data/rt/hello.txt", "again").statusCode()).isEqualTo(204);

    Response listed = call("GET", "/files/list", "/data/rt");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.items())
        .extracting(i -> i.get("name").asString())
        .containsExactly("a", "hello.txt");
    JsonNode hello = listed.items().get(1);
    assertThat(hello.get("type").asString()).isEqualTo("file");
    assertThat(hello.get("size").asLong()).isEqualTo(5);
    assertThat(hello.get("mode").asString()).isEqualTo("600");
    assertThat(listed.items().get(0).get("type").asString()).isEqualTo("directory");

    Response download = call("GET", "/files", "/data/rt/hello.txt");
    assertThat(download.status()).as(download.body()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("again");
    assertThat(call("GET", "/files", "/data/rt/nothing").status()).isEqualTo(404);

    assertThat(call("DELETE", "/files", "/data/rt").status()).isEqualTo(204);
    assertThat(sh("test -e /data/rt && echo there || echo gone").strip()).isEqualTo("gone");
    assertThat(call("GET", "/files/list", "/data/rt").status()).isEqualTo(404);
  }

  /** A path that climbs out (refused by the API) or goes through a link (refused in the host). */
  void refusesEscapes() {
    sh("mkdir -p /data/esc && ln -sfn ../../etc /data/esc/up");
    for (String path : new String[] {"/data/../etc/passwd", "/data/esc/up/passwd"}) {
      Response read = call("GET", "/files", path);
      assertThat(read.status()).as(path + ": " + read.body()).isEqualTo(400);
      assertThat(read.contentType()).startsWith("application/problem+json");
      assertThat(transfers.put(sandbox, path, "x").statusCode()).as(path).isEqualTo(400);
    }
    assertThat(call("GET", "/files", "/data/esc/up/passwd").json().get("detail").asString())
        .contains("symbolic link");
    assertThat(sh("cat /etc/passwd")).startsWith("root:");
  }

  Response call(String method, String endpoint, String path) {
    return api.call(
        method,
        "/v1/sandboxes/"
            + sandbox
            + endpoint
            + "?path="
            + URLEncoder.encode(path, StandardCharsets.UTF_8),
        key,
        null,
        Map.of());
  }

  String sh(String command) {
    return Shell.run(docker, "sandbar-" + sandbox, command);
  }
}
