package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.store.notification.NotificationDao;
import dev.sandbar.store.notification.NotificationRow;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Drains a session's notifications at least once. A drain answers the session's oldest notices with
 * a cursor and deletes nothing it answers; the client acknowledges them by passing that cursor to
 * its next drain (or to {@link #acknowledge}), and only then are they deleted. A client that never
 * received an answer (it timed out during a long poll, its connection dropped) has no cursor to
 * pass and is answered the same notices again. Each step is one statement in its own transaction,
 * so no transaction or pool connection is held while the answer is written to the client.
 * Duplicates are possible (an answer received but not acknowledged); losses are not.
 */
@Service
record NotificationService(Jdbi jdbi, SandboxQueries sandboxes) {

  static final int MAX_WAIT_SECONDS = 60;
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  /** Most notices one drain answers; the rest wait for the next drain. */
  static final int MAX_BATCH = 1000;

  /** A cursor is the decimal seq of the last notice a drain answered; 18 digits fit a long. */
  private static final Pattern CURSOR = Pattern.compile("[0-9]{1,18}");

  /**
   * Acknowledges {@code cursor} (when given), then answers the session's notices (oldest first)
   * without removing them. With {@code waitSeconds} and nothing there yet, polls until a notice
   * arrives or the time is up, then answers what it has (possibly nothing).
   */
  NotificationList drain(
      String tenantId,
      String sandboxId,
      @Nullable String sessionId,
      @Nullable Integer waitSeconds,
      @Nullable String cursor) {
    String session = CommandValidator.sessionOrEmpty(sessionId);
    int wait = waitSeconds == null ? 0 : waitSeconds;
    if (wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw ApiProblem.invalid("waitSeconds", "must be between 0 and " + MAX_WAIT_SECONDS);
    }
    Long acknowledged = parseCursor(cursor, false);
    sandboxes.get(tenantId, sandboxId);
    if (acknowledged != null) {
      ack(tenantId, sandboxId, session, acknowledged);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(wait).toNanos();
    while (true) {
      boolean lastTry = System.nanoTime() >= deadline;
      List<NotificationRow> answered =
          jdbi.withExtension(
              NotificationDao.class, dao -> dao.deliver(tenantId, sandboxId, session, MAX_BATCH));
      if (!answered.isEmpty() || lastTry) {
        return answer(answered);
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

  /** Deletes the notices answered up to {@code cursor}; answers how many were deleted. */
  int acknowledge(
      String tenantId, String sandboxId, @Nullable String sessionId, @Nullable String cursor) {
    String session = CommandValidator.sessionOrEmpty(sessionId);
    long acknowledged = parseCursor(cursor, true);
    sandboxes.get(tenantId, sandboxId);
    return ack(tenantId, sandboxId, session, acknowledged);
  }

  private int ack(String tenantId, String sandboxId, String session, long cursor) {
    return jdbi.withExtension(
        NotificationDao.class, dao -> dao.acknowledge(tenantId, sandboxId, session, cursor));
  }

  private static NotificationList answer(List<NotificationRow> answered) {
    List<NotificationRow> ordered =
        answered.stream().sorted(Comparator.comparingLong(NotificationRow::seq)).toList();
    String cursor = ordered.isEmpty() ? null : Long.toString(ordered.get(ordered.size() - 1).seq());
    return new NotificationList(ordered.stream().map(NotificationResponse::of).toList(), cursor);
  }

  private static Long parseCursor(@Nullable String cursor, boolean required) {
    if (cursor == null || cursor.isEmpty()) {
      if (required) {
        throw ApiProblem.invalid("cursor", "is required: the cursor of a drain's answer");
      }
      return null;
    }
    if (!CURSOR.matcher(cursor).matches()) {
      throw ApiProblem.invalid("cursor", "must be the cursor of a drain's answer");
    }
    return Long.parseLong(cursor);
  }

  private static long remainingMillis(long deadline) {
    return Math.max(0, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
  }
}
