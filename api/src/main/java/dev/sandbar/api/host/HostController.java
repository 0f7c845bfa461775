package dev.sandbar.api.host;

import dev.sandbar.api.auth.AdminOnly;
import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.store.host.Host;
import dev.sandbar.store.host.HostDao;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Docker hosts: an operator's view (every tenant's sandbox counts, images, capacity), so every
 * endpoint needs the admin key and a tenant's key is answered 404.
 */
@RestController
@AdminOnly(hiddenFromTenants = true)
@RequestMapping("/v1/hosts")
@Tag(name = "hosts", description = "Docker hosts and their workers")
class HostController {

  /** The actor host events name for the operator's key. */
  static final String ADMIN = "admin";

  private final HostDao hosts;
  private final HostViews views;
  private final HostEvacuation evacuation;

  HostController(Jdbi jdbi, HostViews views, HostEvacuation evacuation) {
    this.hosts = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(HostDao.class);
    this.views = views;
    this.evacuation = evacuation;
  }

  @GetMapping
  @Operation(summary = "List hosts")
  HostList list(Caller caller) {
    return new HostList(views.views(hosts.list()));
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a host")
  HostResponse get(Caller caller, @PathVariable String id) {
    return views.view(hosts.find(id).orElseThrow(() -> notFound(id)));
  }

  @PostMapping("/{id}/drain")
  @Operation(
      summary = "Stop placing new sandboxes on a host; needs the admin key",
      description =
          "Its sandboxes keep running, unless evacuate=true: then each is moved to another host"
              + " through preserve-and-restore (data and state kept) and one that cannot move is"
              + " stopped, the reason in its audit trail; the answer lists what became of each."
              + " Idempotent; the host stays drained across its worker's restarts until it is"
              + " undrained.")
  HostResponse drain(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String reason,
      @RequestParam(defaultValue = "false") boolean evacuate) {
    HostResponse drained = setDraining(id, true, reason);
    if (!evacuate) {
      return drained;
    }
    List<HostResponse.Evacuated> outcomes = evacuation.evacuate(id);
    return views.view(hosts.find(id).orElseThrow(() -> notFound(id))).withEvacuated(outcomes);
  }

  @PostMapping("/{id}/undrain")
  @Operation(
      summary = "Place new sandboxes on a drained host again; needs the admin key",
      description = "Idempotent.")
  HostResponse undrain(
      @PathVariable String id, @RequestParam(required = false) @Nullable String reason) {
    return setDraining(id, false, reason);
  }

  @GetMapping("/{id}/events")
  @Operation(summary = "A host's audit trail (drains and undrains), oldest first")
  HostEventList events(Caller caller, @PathVariable String id) {
    if (hosts.find(id).isEmpty()) {
      throw notFound(id);
    }
    return new HostEventList(hosts.events(id).stream().map(HostEventResponse::of).toList());
  }

  private HostResponse setDraining(String id, boolean draining, @Nullable String reason) {
    Host host = hosts.setDraining(id, draining, ADMIN, reason).orElseThrow(() -> notFound(id));
    return views.view(host);
  }

  private static ApiProblem notFound(String id) {
    return ApiProblem.notFound("host " + id + " not found");
  }
}
