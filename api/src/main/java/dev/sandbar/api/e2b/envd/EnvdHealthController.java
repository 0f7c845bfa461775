package dev.sandbar.api.e2b.envd;

import dev.sandbar.store.sandbox.SandboxDao;
import dev.sandbar.workflows.model.SandboxState;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * envd's {@code GET /health} under {@code /e2b/sandbox}: 204 while the sandbox named by {@code
 * E2b-Sandbox-Id}, opened by the {@code X-Access-Token} the SDK sends, runs; otherwise 502, which
 * is what E2B's proxy answers for a sandbox that is gone and what the SDK's health probe reads as
 * "killed" (after a dropped connection). A wrong token gets the same 502, so the probe tells
 * nothing about sandboxes the caller cannot open.
 */
@Hidden
@RestController
class EnvdHealthController {

  private final EnvdAccess access;
  private final SandboxDao sandboxes;

  EnvdHealthController(EnvdAccess access, Jdbi jdbi) {
    this.access = access;
    this.sandboxes = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(SandboxDao.class);
  }

  @GetMapping("/e2b/sandbox/health")
  ResponseEntity<?> health(HttpServletRequest request) {
    try {
      EnvdCaller caller = access.authorize(request);
      boolean running =
          sandboxes
              .find(caller.tenantId(), caller.sandboxId())
              .filter(row -> SandboxState.RUNNING.wire().equals(row.state()))
              .isPresent();
      if (running) {
        return ResponseEntity.noContent().build();
      }
    } catch (ConnectException denied) {
      // Answered like a sandbox that is not running.
    }
    return ResponseEntity.status(502)
        .body(Map.of("code", 502, "message", "no running sandbox that this access token opens"));
  }
}
