package dev.sandbar.api.e2b.envd;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * envd's {@code process.Process} service under {@code /e2b/sandbox} (README, "E2B SDK"). Left out
 * of the OpenAPI document: it is E2B's protocol, defined by its proto files, not Sandbar's REST.
 */
@Hidden
@RestController
record ProcessRpcController(ConnectRpc rpc, EnvdProcesses processes) {

  static final String TIMEOUT_HEADER = "Connect-Timeout-Ms";

  @PostMapping("/e2b/sandbox/process.Process/{method}")
  void call(@PathVariable String method, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    switch (method) {
      case "Start" ->
          rpc.serverStreaming(
              request,
              response,
              (caller, message, stream) ->
                  processes.start(caller, message, timeoutMs(request), stream));
      case "Connect" -> rpc.serverStreaming(request, response, processes::connect);
      case "List" -> rpc.unary(request, response, (caller, message) -> processes.list(caller));
      case "SendInput" -> rpc.unary(request, response, processes::sendInput);
      case "CloseStdin" -> rpc.unary(request, response, processes::closeStdin);
      case "SendSignal" -> rpc.unary(request, response, processes::sendSignal);
      case "Update" ->
          rpc.unimplemented(
              request, response, "process.Process/Update", "terminals (pty) are not served");
      case "StreamInput" ->
          rpc.unimplemented(
              request,
              response,
              "process.Process/StreamInput",
              "send input with process.Process/SendInput");
      default ->
          rpc.unimplemented(
              request, response, "process.Process/" + method, "envd has no such call");
    }
  }

  private static @Nullable Long timeoutMs(HttpServletRequest request) {
    String value = request.getHeader(TIMEOUT_HEADER);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ConnectException.invalid(TIMEOUT_HEADER + " must be a number of milliseconds");
    }
  }
}
