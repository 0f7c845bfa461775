package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The files API for a sandbox on the second host, which the API process does not drive: every
 * request goes through host b's worker's files endpoint (its own application in this JVM, on the
 * second Docker daemon), streamed both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiHostFilesTest {

  @RegisterExtension static final TwoHostSystem hosts = new TwoHostSystem();

  private String sandbox;
  private FilesRoundTrip roundTrip;

  @BeforeAll
  void createOnHostB() {
    sandbox = hosts.createOn("b");
    assertThat(hosts.api().get(sandbox).get("hostId").asString()).isEqualTo(hosts.hostB());
    roundTrip = new FilesRoundTrip(hosts.api(), hosts.apiPort(), hosts.dockerB(), sandbox);
  }

  @AfterAll
  void destroy() {
    hosts.destroy(List.of(sandbox));
  }

  @Test
  void movesFilesOfASandboxOnAnotherHostThroughItsWorker() {
    assertThat(hosts.filesEndpoint(hosts.hostB())).startsWith("http://127.0.0.1:");
    assertThat(hosts.filesEndpoint(hosts.hostA())).isNull();
    roundTrip.movesListsMakesAndDeletes();
  }

  @Test
  void refusesPathEscapesOnAnotherHost() {
    roundTrip.refusesEscapes();
  }

  @Test
  void streams150MegabytesThroughTheWorkerWithoutHoldingThem() throws Exception {
    long size = 150L * 1024 * 1024;
    // The API and host b's worker both run in this JVM: the watch sees both ends of the proxy.
    FileTransfers.HeapGrowth growth =
        new FileTransfers(hosts.apiPort())
            .uploadAndDownloadWatchingHeap(sandbox, "/data/big/blob.bin", size);
    assertThat(roundTrip.sh("stat -c %s /data/big/blob.bin && rm -rf /data/big").strip())
        .isEqualTo(Long.toString(size));
    growth.assertFlat("files via host b's worker", size);
  }

  @Test
  void answersUnavailableWhenTheHostsWorkerCannotBeReached() throws Exception {
    String endpoint = hosts.filesEndpoint(hosts.hostB());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    hosts.setFilesEndpoint(hosts.hostB(), "http://127.0.0.1:" + closedPort);
    try {
      Response list = roundTrip.call("GET", "/files/list", "/data");
      assertThat(list.status()).as(list.body()).isEqualTo(503);
      assertThat(list.contentType()).startsWith("application/problem+json");
      assertThat(list.json().get("detail").asString()).contains("unreachable");
    } finally {
      hosts.setFilesEndpoint(hosts.hostB(), endpoint);
    }
    assertThat(roundTrip.call("GET", "/files/list", "/data").status()).isEqualTo(200);
  }

  @Test
  void workerEndpointRefusesRequestsWithoutTheToken() {
    FileTransfers transfers = new FileTransfers(hosts.apiPort());
    URI list =
        URI.create(
            hosts.filesEndpoint(hosts.hostB())
                + "/files/list?sandbox="
                + sandbox
                + "&path="
                + URLEncoder.encode("/", StandardCharsets.UTF_8));
    HttpResponse<String> none =
        transfers.send(
            HttpRequest.newBuilder(list).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong =
        transfers.send(
            HttpRequest.newBuilder(list)
                .header("Authorization", "Bearer " + TwoHostSystem.WORKER_TOKEN + "x")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> upload =
        transfers.send(
            HttpRequest.newBuilder(
                    URI.create(
                        hosts.filesEndpoint(hosts.hostB())
                            + "/files?sandbox="
                            + sandbox
                            + "&path=%2Fdata%2Fsneaky"))
                .PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).isEqualTo(401);
    assertThat(roundTrip.sh("test -e /data/sneaky && echo there || echo absent").strip())
        .isEqualTo("absent");
    // The same request with the token is answered: it was the token that was missing.
    HttpResponse<String> right =
        transfers.send(
            HttpRequest.newBuilder(list)
                .header("Authorization", "Bearer " + TwoHostSystem.WORKER_TOKEN)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
  }

  @Test
  void movesAFileThroughTheWorkerEndpointAsTheApiClientDoes() {
    roundTrip.sh("mkdir -p /data/mv && echo moved > /data/mv/from.txt");
    FileTransfers transfers = new FileTransfers(hosts.apiPort());
    HttpResponse<String> moved =
        transfers.send(
            HttpRequest.newBuilder(moveUri("/data/mv/from.txt", "/data/mv/to.txt"))
                .header("Authorization", "Bearer " + TwoHostSystem.WORKER_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(204);
    assertThat(roundTrip.sh("cat /data/mv/to.txt; test -e /data/mv/from.txt || echo gone"))
        .isEqualTo("moved\ngone\n");

    HttpResponse<String> escape =
        transfers.send(
            HttpRequest.newBuilder(moveUri("/data/mv/to.txt", "/data/../etc/x"))
                .header("Authorization", "Bearer " + TwoHostSystem.WORKER_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(escape.statusCode()).isEqualTo(400);
    assertThat(roundTrip.sh("cat /data/mv/to.txt && rm -rf /data/mv")).isEqualTo("moved\n");
  }

  private URI moveUri(String from, String to) {
    return URI.create(
        hosts.filesEndpoint(hosts.hostB())
            + "/files/move?sandbox="
            + sandbox
            + "&path="
            + URLEncoder.encode(from, StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(to, StandardCharsets.UTF_8));
  }
}
