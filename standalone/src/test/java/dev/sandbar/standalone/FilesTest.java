package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The files API against a real sandbox: streamed transfers, listings, and refused paths. */
class FilesTest extends OneSandboxTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void uploadsAndDownloads200MegabytesWithoutHoldingThemInMemory() throws Exception {
    long size = 200L * 1024 * 1024;
    String uploadedDigest;
    long uploadGrowth;
    try (HeapWatch heap = new HeapWatch()) {
      DigestingStream body = new DigestingStream(size, 42);
      HttpResponse<String> put =
          HTTP.send(
              request("/data/big/blob.bin")
                  .PUT(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
      uploadedDigest = body.hex();
      uploadGrowth = heap.peakGrowthBytes();
    }
    assertThat(sh("stat -c %s /data/big/blob.bin").strip()).isEqualTo(Long.toString(size));

    long downloadGrowth;
    try (HeapWatch heap = new HeapWatch()) {
      HttpResponse<InputStream> get =
          HTTP.send(
              request("/data/big/blob.bin").GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(size);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long read = 0;
      try (InputStream in = get.body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          sha.update(buffer, 0, n);
          read += n;
        }
      }
      assertThat(read).isEqualTo(size);
      assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(uploadedDigest);
      downloadGrowth = heap.peakGrowthBytes();
    }
    System.out.printf(
        "files: 200 MiB upload held at most %d KiB more heap, download %d KiB%n",
        uploadGrowth >> 10, downloadGrowth >> 10);
    // A transfer that buffered the file would hold all 200 MiB of it.
    assertThat(uploadGrowth).isLessThan(64L * 1024 * 1024);
    assertThat(downloadGrowth).isLessThan(64L * 1024 * 1024);
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
        HTTP.send(
            request("/data/chunked")
                .PUT(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[10])))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(411);
    assertThat(call("GET", "/files", "/data/nothing-here").status()).isEqualTo(404);
    assertThat(call("GET", "/files", "/data").status()).isEqualTo(400);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + port
                    + "/v1/sandboxes/"
                    + sandbox
                    + "/files?path="
                    + URLEncoder.encode(path, StandardCharsets.UTF_8)))
        .header("Authorization", "Bearer " + SandbarTestSupport.API_KEY)
        .timeout(Duration.ofMinutes(5));
  }

  private HttpResponse<String> put(String path, String content) {
    try {
      return HTTP.send(
          request(path).PUT(HttpRequest.BodyPublishers.ofString(content)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Response call(String method, String endpoint, String path) {
    return api.call(
        method,
        "/v1/sandboxes/"
            + sandbox
            + endpoint
            + "?path="
            + URLEncoder.encode(path, StandardCharsets.UTF_8),
        null);
  }

  private String sh(String command) {
    return Shell.run(docker, "sandbar-" + sandbox, command);
  }

  /** {@code size} pseudo-random bytes made as they are read, hashed on the way. */
  private static final class DigestingStream extends InputStream {
    private final Random random;
    private final MessageDigest sha;
    private long left;

    DigestingStream(long size, long seed) throws Exception {
      this.left = size;
      this.random = new Random(seed);
      this.sha = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(length, left);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, buffer, offset, n);
      sha.update(chunk);
      left -= n;
      return n;
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }
}
