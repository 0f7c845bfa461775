package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.store.notification.NotificationDao;
import dev.sandbar.store.notification.NotificationRow;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Drains a session's notifications. A drain removes what it answers, so it must not lose a notice
 * when the answer never reaches the client. The design: the delete runs in a transaction, and the
 * answer is written and flushed to the client <em>inside</em> it; the transaction commits only
 * after the flush succeeded. A write that fails (the client went away) throws, and the delete rolls
 * back. The one remaining window is the other way round: if the commit itself fails after the
 * flush, the client has the notices and they are handed out again by the next drain. Duplicates are
 * possible in that rare case, losses are not.
 */
@Service
record NotificationService(Jdbi jdbi, SandboxQueries sandboxes) {

  static final int MAX_WAIT_SECONDS = 60;
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  /** Most notices one drain answers; the rest wait for the next drain. */
  static final int MAX_BATCH = 1000;

  /** Writes a drain's answer to the client, flushed; throws when the client cannot take it. */
  @FunctionalInterface
  interface Delivery {
    void deliver(NotificationList drained) throws IOException;
  }

  /**
   * Removes the session's notices (oldest first) and hands them to {@code delivery} before the
   * removal commits. With {@code waitSeconds} and nothing there yet, polls until a notice arrives
   * or the time is up, then delivers what it has (possibly nothing).
   *
   * @throws IOException from {@code delivery}; nothing was removed then
   */
  void drain(
      String tenantId,
      String sandboxId,
      @Nullable String sessionId,
      @Nullable Integer waitSeconds,
      Delivery delivery)
      throws IOException {
    String session = CommandValidator.sessionOrEmpty(sessionId);
    int wait = waitSeconds == null ? 0 : waitSeconds;
    if (wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw ApiProblem.invalid("waitSeconds", "must be between 0 and " + MAX_WAIT_SECONDS);
    }
    sandboxes.get(tenantId, sandboxId);
    long deadline = System.nanoTime() + Duration.ofSeconds(wait).toNanos();
    while (true) {
      boolean lastTry = System.nanoTime() >= deadline;
      boolean delivered =
          jdbi.inTransaction(
              handle -> {
                List<NotificationRow> taken =
                    handle
                        .attach(NotificationDao.class)
                        .take(tenantId, sandboxId, session, MAX_BATCH);
                if (taken.isEmpty() && !lastTry) {
                  return false;
                }
                delivery.deliver(
                    new NotificationList(
                        taken.stream()
                            .sorted(Comparator.comparingLong(NotificationRow::seq))
                            .map(NotificationResponse::of)
                            .toList()));
                return true;
              });
      if (delivered) {
        return;
      }
      try {
        Thread.sleep(Math.min(POLL_INTERVAL.toMillis(), remainingMillis(deadline)));
      } catch (InterruptedException e) {
        // Shutting down: answer with what there is now rather than not at all.
        Thread.currentThread().interrupt();
        deadline = System.nanoTime();
      }
    }
  }

  private static long remainingMillis(long deadline) {
    return Math.max(0, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
  }
}
