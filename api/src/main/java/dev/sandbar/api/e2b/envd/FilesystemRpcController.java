package dev.sandbar.api.e2b.envd;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** envd's {@code filesystem.Filesystem} service under {@code /e2b/sandbox} (README, "E2B SDK"). */
@Hidden
@RestController
record FilesystemRpcController(ConnectRpc rpc, EnvdFilesystem filesystem) {

  @PostMapping("/e2b/sandbox/filesystem.Filesystem/{method}")
  void call(@PathVariable String method, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    switch (method) {
      case "Stat" -> rpc.unary(request, response, filesystem::stat);
      case "ListDir" -> rpc.unary(request, response, filesystem::listDir);
      case "MakeDir" -> rpc.unary(request, response, filesystem::makeDir);
      case "Move" -> rpc.unary(request, response, filesystem::move);
      case "Remove" -> rpc.unary(request, response, filesystem::remove);
      case "WatchDir", "CreateWatcher", "GetWatcherEvents", "RemoveWatcher" ->
          rpc.unimplemented(
              request,
              response,
              "filesystem.Filesystem/" + method,
              "directory watching is not served");
      default ->
          rpc.unimplemented(
              request, response, "filesystem.Filesystem/" + method, "envd has no such call");
    }
  }
}
