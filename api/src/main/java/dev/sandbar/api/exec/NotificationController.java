package dev.sandbar.api.exec;

import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/v1/sandboxes/{id}/notifications")
@Tag(name = "exec")
record NotificationController(NotificationService notifications, JsonMapper json) {

  private static final Logger log = LoggerFactory.getLogger(NotificationController.class);

  /**
   * Writes its answer itself rather than returning it: the answer must be flushed to the client
   * before the drain's delete commits (see {@link NotificationService}).
   */
  @PostMapping("/drain")
  @Operation(
      summary = "Take the session's notifications, oldest first",
      description =
          "Each notice is answered once: it is removed as it is answered, and kept if the answer"
              + " cannot be delivered. waitSeconds (0-60) long-polls until a notice arrives.")
  @ApiResponse(
      responseCode = "200",
      content = @Content(schema = @Schema(implementation = NotificationList.class)))
  void drain(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "the session; absent or empty for commands run without one")
          @RequestParam(required = false)
          @Nullable String sessionId,
      @RequestParam(required = false) @Nullable Integer waitSeconds,
      HttpServletResponse response) {
    try {
      notifications.drain(
          caller.requireTenant(), id, sessionId, waitSeconds, drained -> write(drained, response));
    } catch (IOException e) {
      // The client is gone; it gets these notices from its next drain.
      log.info("drain of sandbox {} not delivered, its notices are kept: {}", id, e.toString());
    }
  }

  private void write(NotificationList drained, HttpServletResponse response) throws IOException {
    byte[] body = json.writeValueAsBytes(drained);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
