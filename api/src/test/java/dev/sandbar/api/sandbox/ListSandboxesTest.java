package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ListSandboxesTest extends ApiIntegrationTest {

  private final List<String> oldestFirst = new ArrayList<>();
  private String runningTwin;

  @BeforeEach
  void setUp() {
    Instant base = Instant.parse("2030-01-01T00:00:00.123456Z");
    oldestFirst.add(insertSandbox(tenant.id(), "running", base, Map.of("team", "a")));
    // Two sandboxes created in the same microsecond: the id breaks the tie.
    String x = insertSandbox(tenant.id(), "stopped", base.plusSeconds(1), Map.of("team", "b"));
    String y = insertSandbox(tenant.id(), "running", base.plusSeconds(1), Map.of("team", "a"));
    runningTwin = y;
    oldestFirst.addAll(x.compareTo(y) < 0 ? List.of(x, y) : List.of(y, x));
    oldestFirst.add(insertSandbox(tenant.id(), "paused", base.plusSeconds(2), Map.of()));
    oldestFirst.add(
        insertSandbox(tenant.id(), "running", base.plusSeconds(3), Map.of("team", "a", "x", "1")));
    insertSandbox(newTenant().id(), "running", base.plusSeconds(1), Map.of("team", "a"));
  }

  @Test
  void pagesThroughEverySandboxOnceInCreationOrder() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page =
          get("/v1/sandboxes?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), tenant.key());
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      assertThat(page.json().path("items").size()).isLessThanOrEqualTo(2);
      seen.addAll(page.itemValues("id"));
      JsonNode next = page.json().path("nextCursor");
      cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(oldestFirst);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void defaultPageHoldsEverythingAndHasNoCursor() {
    Response page = get("/v1/sandboxes", tenant.key());

    assertThat(page.json().path("items").size()).isEqualTo(5);
    assertThat(page.json().path("nextCursor").isNull()).isTrue();
    JsonNode first = page.json().path("items").get(0);
    assertThat(first.path("createdAt").asString()).isEqualTo("2030-01-01T00:00:00.123456Z");
    assertThat(first.path("labels").path("team").asString()).isEqualTo("a");
  }

  @Test
  void filtersByStateAndLabels() {
    Response running = get("/v1/sandboxes?state=running", tenant.key());
    assertThat(running.itemValues("id"))
        .containsExactly(oldestFirst.get(0), runningTwin, oldestFirst.get(4));

    Response teamA = get("/v1/sandboxes?label=team=a&label=x=1", tenant.key());
    assertThat(teamA.itemValues("id")).containsExactly(oldestFirst.get(4));

    Response pausedTeamA = get("/v1/sandboxes?state=paused&label=team=a", tenant.key());
    assertThat(pausedTeamA.itemValues("id")).isEmpty();
  }

  @Test
  void rejectsBadQueries() {
    assertProblem(get("/v1/sandboxes?limit=0", tenant.key()), 400, "validation");
    assertProblem(get("/v1/sandboxes?limit=-3", tenant.key()), 400, "validation");
    assertProblem(get("/v1/sandboxes?limit=201", tenant.key()), 400, "validation");
    assertProblem(get("/v1/sandboxes?limit=ten", tenant.key()), 400, "validation");
    assertProblem(get("/v1/sandboxes?cursor=garbage", tenant.key()), 400, "validation");
    assertProblem(get("/v1/sandboxes?state=sleeping", tenant.key()), 400, "validation");
    assertProblem(get("/v1/sandboxes?label=novalue", tenant.key()), 400, "validation");
  }
}
