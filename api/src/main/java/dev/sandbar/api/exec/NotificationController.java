package dev.sandbar.api.exec;

import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/sandboxes/{id}/notifications")
@Tag(name = "exec")
record NotificationController(NotificationService notifications) {

  /** How many notices an acknowledgement deleted. */
  record Acknowledged(int acknowledged) {}

  @PostMapping("/drain")
  @Operation(
      summary = "Answer the session's notifications, oldest first, at least once",
      description =
          "Answers the session's unacknowledged notices with a cursor and deletes none of them:"
              + " pass the cursor to the next drain (or to .../notifications/ack) to acknowledge"
              + " them, and only then are they deleted. A drain without it answers them again,"
              + " so a client that lost an answer loses no notice. waitSeconds (0-60) long-polls"
              + " until a notice arrives.")
  NotificationList drain(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "the session; absent or empty for commands run without one")
          @RequestParam(required = false)
          @Nullable String sessionId,
      @RequestParam(required = false) @Nullable Integer waitSeconds,
      @Parameter(description = "the cursor of the previous drain's answer: acknowledges it")
          @RequestParam(required = false)
          @Nullable String cursor) {
    return notifications.drain(caller.requireTenant(), id, sessionId, waitSeconds, cursor);
  }

  @PostMapping("/ack")
  @Operation(
      summary = "Acknowledge the notices a drain answered",
      description =
          "Deletes the session's notices answered by drains up to this cursor. Idempotent: a"
              + " repeated acknowledgement deletes nothing more.")
  Acknowledged acknowledge(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "the session; absent or empty for commands run without one")
          @RequestParam(required = false)
          @Nullable String sessionId,
      @Parameter(description = "the cursor of a drain's answer") @RequestParam(required = false)
          @Nullable String cursor) {
    return new Acknowledged(
        notifications.acknowledge(caller.requireTenant(), id, sessionId, cursor));
  }
}
