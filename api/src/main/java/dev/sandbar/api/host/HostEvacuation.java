package dev.sandbar.api.host;

import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.WorkflowProblems;
import dev.sandbar.store.host.HostDao;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Empties a drained host: each sandbox on it is moved to another host by its workflow
 * (preserve-and-restore, state kept); one that cannot move is stopped, the reason in its audit
 * trail. One sandbox at a time, so the hosts that take them are chosen with the earlier moves
 * counted.
 */
@Service
class HostEvacuation {

  private static final Logger log = LoggerFactory.getLogger(HostEvacuation.class);

  private final HostDao hosts;
  private final TemporalGateway temporal;

  HostEvacuation(Jdbi jdbi, TemporalGateway temporal) {
    this.hosts = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(HostDao.class);
    this.temporal = temporal;
  }

  /** Moves (or stops) every sandbox on {@code hostId}; audits a summary on the host. */
  List<HostResponse.Evacuated> evacuate(String hostId) {
    String reason = "evacuating drained host " + hostId;
    List<HostResponse.Evacuated> outcomes = new ArrayList<>();
    for (String sandboxId : hosts.sandboxesOn(hostId)) {
      outcomes.add(evacuate(sandboxId, reason));
    }
    long moved = outcomes.stream().filter(o -> "moved".equals(o.outcome())).count();
    long stopped = outcomes.stream().filter(o -> "stopped".equals(o.outcome())).count();
    hosts.audit(
        hostId,
        HostController.ADMIN,
        "evacuate",
        "moved "
            + moved
            + ", stopped "
            + stopped
            + ", left "
            + (outcomes.size() - moved - stopped));
    return outcomes;
  }

  private HostResponse.Evacuated evacuate(String sandboxId, String reason) {
    String why;
    try {
      SandboxView view = temporal.sandbox(sandboxId).move(new Operation(Actor.SYSTEM, reason));
      return new HostResponse.Evacuated(
          sandboxId, "moved", view.hostId(), view.state().wire(), null);
    } catch (RuntimeException notMoved) {
      why = describe(notMoved);
    }
    String stopReason = reason + ": could not move: " + why;
    try {
      SandboxView view = temporal.sandbox(sandboxId).stop(new Operation(Actor.SYSTEM, stopReason));
      return new HostResponse.Evacuated(
          sandboxId, "stopped", view.hostId(), view.state().wire(), why);
    } catch (RuntimeException notStopped) {
      // Stopped already (its failed move is audited with why), or in error, missing or gone.
      log.info(
          "sandbox {} left on its host: {}; not stopped: {}",
          sandboxId,
          why,
          notStopped.toString());
      return new HostResponse.Evacuated(sandboxId, "left", null, null, why);
    }
  }

  private static String describe(RuntimeException failure) {
    return WorkflowProblems.applicationFailure(failure)
        .map(ApplicationFailure::getOriginalMessage)
        .orElseGet(failure::getMessage);
  }
}
