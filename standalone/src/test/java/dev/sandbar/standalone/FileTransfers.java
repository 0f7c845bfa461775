package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

/**
 * Raw HTTP transfers through {@code /v1/sandboxes/{id}/files}: uploads of pseudo-random bytes made
 * as they are sent and downloads hashed as they arrive, so neither side of the test holds a file.
 */
final class FileTransfers {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What a streamed transfer moved: its status, its byte count and their SHA-256. */
  record Transfer(int status, long bytes, String sha256, String body) {}

  private final int port;
  private final String key;

  FileTransfers(int port) {
    this(port, SandbarTestSupport.API_KEY);
  }

  FileTransfers(int port, String key) {
    this.port = port;
    this.key = key;
  }

  HttpRequest.Builder request(String sandbox, String path) {
    return HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + port
                    + "/v1/sandboxes/"
                    + sandbox
                    + "/files?path="
                    + URLEncoder.encode(path, StandardCharsets.UTF_8)))
        .header("Authorization", "Bearer " + key)
        .timeout(Duration.ofMinutes(5));
  }

  HttpResponse<String> put(String sandbox, String path, String content) {
    return send(
        request(sandbox, path).PUT(HttpRequest.BodyPublishers.ofString(content)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Uploads {@code size} pseudo-random bytes of {@code seed}. */
  Transfer upload(String sandbox, String path, long size, long seed) {
    DigestingStream body = new DigestingStream(size, seed);
    HttpResponse<String> put =
        send(
            request(sandbox, path)
                .PUT(
                    HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> body), size))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Transfer(put.statusCode(), size, body.hex(), put.body());
  }

  /** Downloads the file, hashing it as it arrives; the body is the Content-Length. */
  Transfer download(String sandbox, String path) {
    HttpResponse<InputStream> get =
        send(request(sandbox, path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha = sha256();
    long read = 0;
    try (InputStream in = get.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
        read += n;
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return new Transfer(
        get.statusCode(),
        read,
        HexFormat.of().formatHex(sha.digest()),
        get.headers().firstValue("Content-Length").orElse(""));
  }

  /**
   * How much more heap stayed reachable during a streamed upload and during its download, and how
   * long each took (printed, never asserted).
   */
  record HeapGrowth(long uploadBytes, long downloadBytes, long uploadNanos, long downloadNanos) {

    /** A transfer that buffered the file would hold all of it; streaming holds a few buffers. */
    void assertFlat(String what, long size) {
      System.out.printf(
          "%s: %d MiB upload held at most %d KiB more heap (%.0f MiB/s), download %d KiB (%.0f"
              + " MiB/s)%n",
          what,
          size >> 20,
          uploadBytes >> 10,
          mibPerSecond(size, uploadNanos),
          downloadBytes >> 10,
          mibPerSecond(size, downloadNanos));
      assertThat(uploadBytes).isLessThan(64L * 1024 * 1024);
      assertThat(downloadBytes).isLessThan(64L * 1024 * 1024);
    }

    private static double mibPerSecond(long bytes, long nanos) {
      return (bytes / 1048576.0) / (nanos / 1e9);
    }
  }

  /**
   * Uploads {@code size} pseudo-random bytes to {@code path}, downloads them again and checks they
   * came back byte for byte, watching the heap of this JVM (where the API, and any worker the test
   * runs in-process, serve the transfer) during each.
   */
  HeapGrowth uploadAndDownloadWatchingHeap(String sandbox, String path, long size)
      throws InterruptedException {
    Transfer up;
    long uploadGrowth;
    long uploadNanos;
    try (HeapWatch heap = new HeapWatch()) {
      long start = System.nanoTime();
      up = upload(sandbox, path, size, size);
      uploadNanos = System.nanoTime() - start;
      assertThat(up.status()).as(up.body()).isEqualTo(204);
      uploadGrowth = heap.peakGrowthBytes();
    }
    long downloadGrowth;
    long downloadNanos;
    try (HeapWatch heap = new HeapWatch()) {
      long start = System.nanoTime();
      Transfer down = download(sandbox, path);
      downloadNanos = System.nanoTime() - start;
      assertThat(down.status()).isEqualTo(200);
      assertThat(down.body()).as("Content-Length").isEqualTo(Long.toString(size));
      assertThat(down.bytes()).isEqualTo(size);
      assertThat(down.sha256()).isEqualTo(up.sha256());
      downloadGrowth = heap.peakGrowthBytes();
    }
    return new HeapGrowth(uploadGrowth, downloadGrowth, uploadNanos, downloadNanos);
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return HTTP.send(request, handler);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code size} pseudo-random bytes made as they are read, hashed on the way. */
  private static final class DigestingStream extends InputStream {
    private final Random random;
    private final MessageDigest sha = sha256();
    private long left;

    DigestingStream(long size, long seed) {
      this.left = size;
      this.random = new Random(seed);
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
