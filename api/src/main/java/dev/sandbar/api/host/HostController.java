package dev.sandbar.api.host;

import dev.sandbar.api.auth.AdminOnly;
import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.store.host.Host;
import dev.sandbar.store.host.HostDao;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Docker hosts: readable with any key, drained only with the admin key. */
@RestController
@RequestMapping("/v1/hosts")
@Tag(name = "hosts", description = "Docker hosts and their workers")
class HostController {

  private final HostDao hosts;

  HostController(Jdbi jdbi) {
    this.hosts = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(HostDao.class);
  }

  @GetMapping
  @Operation(summary = "List hosts")
  HostList list(Caller caller) {
    return new HostList(hosts.list().stream().map(HostResponse::of).toList());
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a host")
  HostResponse get(Caller caller, @PathVariable String id) {
    return HostResponse.of(require(id));
  }

  @PostMapping("/{id}/drain")
  @AdminOnly
  @Operation(summary = "Stop placing new sandboxes on a host; needs the admin key")
  HostResponse drain(@PathVariable String id) {
    if (hosts.drain(id) == 0) {
      throw notFound(id);
    }
    return HostResponse.of(require(id));
  }

  private Host require(String id) {
    return hosts.find(id).orElseThrow(() -> notFound(id));
  }

  private static ApiProblem notFound(String id) {
    return ApiProblem.notFound("host " + id + " not found");
  }
}
