package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.e2b.SandboxAccessTokens;
import dev.sandbar.store.sandbox.SandboxDao;
import dev.sandbar.store.sandbox.SandboxRow;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.stereotype.Service;

/**
 * Who may make an in-sandbox call: the sandbox is named by {@code E2b-Sandbox-Id} (E2B's proxy
 * header) and the call must carry that sandbox's access token in {@code X-Access-Token}, the one
 * create and connect hand out. A missing sandbox, another tenant's and a wrong token are answered
 * alike, so a token never tells whether some other sandbox exists.
 */
@Service
class EnvdAccess {

  static final String SANDBOX_HEADER = "E2b-Sandbox-Id";
  static final String TOKEN_HEADER = "X-Access-Token";

  private final SandboxDao sandboxes;
  private final SandboxAccessTokens tokens;

  EnvdAccess(Jdbi jdbi, SandboxAccessTokens tokens) {
    this.sandboxes = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(SandboxDao.class);
    this.tokens = tokens;
  }

  EnvdCaller authorize(HttpServletRequest request) {
    String sandboxId = request.getHeader(SANDBOX_HEADER);
    String token = request.getHeader(TOKEN_HEADER);
    if (sandboxId == null || sandboxId.isBlank()) {
      throw denied("the " + SANDBOX_HEADER + " header naming the sandbox is missing");
    }
    Optional<SandboxRow> sandbox = sandboxes.findAnyTenant(sandboxId);
    if (sandbox.isEmpty() || !tokens.opens(token, sandbox.get().tenantId(), sandboxId)) {
      throw denied(
          "the "
              + TOKEN_HEADER
              + " header does not hold the access token of sandbox "
              + sandboxId
              + " (the envdAccessToken its create or connect answered)");
    }
    return new EnvdCaller(sandbox.get().tenantId(), sandboxId);
  }

  private static ConnectException denied(String message) {
    return new ConnectException(ConnectCode.UNAUTHENTICATED, message);
  }
}
