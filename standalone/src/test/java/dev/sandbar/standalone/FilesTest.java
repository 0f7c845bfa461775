package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The files API against a real sandbox: streamed transfers, listings, and refused paths. */
class FilesTest extends OneSandboxTest {

  @Test
  void uploadsAndDownloads200MegabytesWithoutHoldingThemInMemory() throws Exception {
    long size = 200L * 1024 * 1024;
    FileTransfers.HeapGrowth growth =
        transfers().uploadAndDownloadWatchingHeap(sandbox, "/data/big/blob.bin", size);
    assertThat(sh("stat -c %s /data/big/blob.bin").strip()).isEqualTo(Long.toString(size));
    growth.assertFlat("files", size);
  }

  @Test
  void listsMakesAndDeletes() {
    assertThat(call("POST", "/files/mkdir", "/data/tree/a/b").status()).isEqualTo(204);
    assertThat(put("/data/tree/hello.txt", "héllo").statusCode()).isEqualTo(204);
    sh("chmod 600 /data/tree/hello.txt && ln -s hello.txt /data/tree/link");

    Response listed = call("GET", "/files/list", "/data/tree");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    List<JsonNode> items = listed.items();
    assertThat(items)
        .extracting(i -> i.get("name").asString())
        .containsExactly("a", "hello.txt", "link");
    JsonNode hello = items.get(1);
    assertThat(hello.get("type").asString()).isEqualTo("file");
    assertThat(hello.get("size").asLong()).isEqualTo(6);
    assertThat(hello.get("mode").asString()).isEqualTo("600");
    assertThat(hello.get("mtime").asLong()).isGreaterThan(1_700_000_000L);
    assertThat(items.get(0).get("type").asString()).isEqualTo("directory");
    assertThat(items.get(2).get("type").asString()).isEqualTo("symlink");

    // A replaced file keeps its mode.
    assertThat(put("/data/tree/hello.txt", "again").statusCode()).isEqualTo(204);
    assertThat(sh("stat -c %a /data/tree/hello.txt; cat /data/tree/hello.txt"))
        .isEqualTo("600\nagain");

    assertThat(call("DELETE", "/files", "/data/tree").status()).isEqualTo(204);
    assertThat(call("GET", "/files/list", "/data/tree").status()).isEqualTo(404);
    assertThat(call("DELETE", "/files", "/data/tree").status()).isEqualTo(204);
  }

  @Test
  void refusesPathsThatEscapeOrGoThroughSymlinks() {
    sh("mkdir -p /data/esc && ln -sfn / /data/esc/root && ln -sfn ../../etc /data/esc/up");
    for (String path :
        List.of(
            "/data/../etc/passwd",
            "data/x",
            "/data/./x",
            "/data//x",
            "/data/x/",
            "/data/x\0y",
            "/.sandbar/tasks",
            "/proc/self/environ",
            "/data/esc/root/etc/passwd",
            "/data/esc/up/passwd")) {
      Response download = call("GET", "/files", path);
      assertThat(download.status()).as(path + ": " + download.body()).isEqualTo(400);
      assertThat(download.contentType()).startsWith("application/problem+json");
      assertThat(put(path, "x").statusCode()).as(path).isEqualTo(400);
    }
    assertThat(call("GET", "/files", "/data/esc/up/passwd").json().get("detail").asString())
        .contains("symbolic link")
        .contains("/etc");
    // Nothing was written through the links.
    assertThat(sh("cat /etc/passwd")).startsWith("root:");
  }

  @Test
  void refusesAnUploadWithoutALengthAndMissingFiles() throws Exception {
    HttpResponse<String> chunked =
        transfers()
            .send(
                transfers()
                    .request(sandbox, "/data/chunked")
                    .PUT(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(new byte[10])))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(411);
    assertThat(call("GET", "/files", "/data/nothing-here").status()).isEqualTo(404);
    assertThat(call("GET", "/files", "/data").status()).isEqualTo(400);
  }

  private FileTransfers transfers() {
    return new FileTransfers(port);
  }

  private HttpResponse<String> put(String path, String content) {
    return transfers().put(sandbox, path, content);
  }

  private Response call(String method, String endpoint, String path) {
    return new FilesRoundTrip(api, port, docker, sandbox).call(method, endpoint, path);
  }

  private String sh(String command) {
    return Shell.run(docker, "sandbar-" + sandbox, command);
  }
}
