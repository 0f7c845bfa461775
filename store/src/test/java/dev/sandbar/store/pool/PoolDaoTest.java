package dev.sandbar.store.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sandbar.store.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PoolDaoTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private final Jdbi jdbi = POSTGRES.jdbi();
  private final PoolDao dao = jdbi.onDemand(PoolDao.class);

  @BeforeEach
  void emptyPool() {
    POSTGRES.truncate("pool_containers");
  }

  private void ready(String slot, String image) {
    dao.add(slot, "h1", image, "sandbar-pool-" + slot, "sandbar-data-pool-" + slot);
  }

  @Test
  void concurrentClaimsNeverTakeTheSameContainer() throws Exception {
    for (int i = 0; i < 4; i++) {
      ready("slot-" + i, "img");
    }
    List<Future<Optional<PoolRow>>> claims = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        String sandbox = "sb-" + i;
        claims.add(threads.submit(() -> dao.claim(sandbox, "h1", "img")));
      }
    }
    List<String> taken = new ArrayList<>();
    for (Future<Optional<PoolRow>> claim : claims) {
      claim.get().ifPresent(row -> taken.add(row.slotId()));
    }
    assertThat(taken).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void aRetriedClaimFindsTheContainerItTookAndOtherImagesAreNotClaimed() {
    ready("a", "img");
    ready("b", "img");
    ready("c", "other");

    PoolRow first = dao.claim("sb-1", "h1", "img").orElseThrow();
    PoolRow again = dao.claim("sb-1", "h1", "img").orElseThrow();

    assertThat(again.slotId()).isEqualTo(first.slotId()).isEqualTo("a");
    assertThat(dao.claim("sb-2", "h1", "img").orElseThrow().slotId()).isEqualTo("b");
    assertThat(dao.claim("sb-3", "h1", "img")).isEmpty();
    assertThat(dao.claim("sb-3", "h2", "other")).as("another host's pool").isEmpty();
  }

  @Test
  void aClaimedContainerIsNeverRetiredAndARetiredOneNeverClaimed() {
    ready("a", "img");
    ready("b", "img");
    dao.claim("sb-1", "h1", "img");

    assertThat(dao.retire("a")).as("claimed first: the sandbox's").isFalse();
    assertThat(dao.retire("b")).isTrue();
    assertThat(dao.retire("b")).as("a retried retire").isTrue();
    assertThat(dao.claim("sb-2", "h1", "img")).isEmpty();
    assertThat(dao.onHosts(new String[] {"h1"}))
        .extracting(PoolRow::slotId, PoolRow::state, PoolRow::sandboxId)
        .containsExactly(tuple("a", PoolRow.CLAIMED, "sb-1"), tuple("b", PoolRow.RETIRING, null));
  }
}
