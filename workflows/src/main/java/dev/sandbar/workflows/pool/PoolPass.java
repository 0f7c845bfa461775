package dev.sandbar.workflows.pool;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;

import dev.sandbar.workflows.activity.PoolHostActivities;
import dev.sandbar.workflows.activity.PoolStoreActivities;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.PoolMember;
import dev.sandbar.workflows.model.PoolSettings;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.model.PooledContainer;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * One pass over one host's pool: what the read model holds against what Docker lists.
 *
 * <ul>
 *   <li>a ready container that is not running (dead), of another image, or beyond the size is
 *       retired (unless a create claimed it first) and removed;
 *   <li>a pool container the read model does not know (its worker died between create and record)
 *       is removed: it may never have started properly;
 *   <li>a claimed container whose sandbox is destroyed is forgotten, its volume removed if left;
 *   <li>missing containers are created, started and recorded as ready.
 * </ul>
 *
 * A container claimed but not yet adopted still has its pool name; it is the sandbox's and left
 * alone.
 */
final class PoolPass {

  private static final Logger log = Workflow.getLogger(PoolPass.class);

  private final PoolSettings settings;
  private final PoolHostActivities host;
  private final PoolStoreActivities store;

  PoolPass(PoolSettings settings, PoolHostActivities host, PoolStoreActivities store) {
    this.settings = settings;
    this.host = host;
    this.store = store;
  }

  void run() {
    try {
      List<PoolMember> members = store.poolMembers(settings.hostId());
      Map<String, PooledContainer> listed = new LinkedHashMap<>();
      for (PooledContainer container : host.listPoolContainers()) {
        listed.put(container.slot().slotId(), container);
      }
      Map<String, PoolMember> known = new LinkedHashMap<>();
      int ready = 0;
      for (PoolMember member : members) {
        known.put(member.slot().slotId(), member);
        if (member.claimed()) {
          if (member.sandboxState() == DESTROYED) {
            release(member.slot());
          }
          continue;
        }
        PooledContainer container = listed.get(member.slot().slotId());
        boolean keep =
            member.ready()
                && container != null
                && container.status() == ContainerStatus.RUNNING
                && settings.image().equals(member.slot().image())
                && ready < settings.size();
        if (keep) {
          ready++;
        } else {
          retire(member.slot());
        }
      }
      for (PooledContainer container : listed.values()) {
        if (!known.containsKey(container.slot().slotId())) {
          host.removePoolContainer(container.slot());
        }
      }
      for (; ready < settings.size(); ready++) {
        PoolSlot slot = new PoolSlot(Workflow.randomUUID().toString(), settings.image());
        host.createPoolContainer(slot);
        store.recordPoolContainer(settings.hostId(), slot);
      }
    } catch (ActivityFailure failure) {
      log.warn("pool pass on host {} failed: {}", settings.hostId(), failure.getCause());
    }
  }

  /** A destroyed sandbox's pool row: its volume, if its destroy left it, goes with the row. */
  private void release(PoolSlot slot) {
    try {
      host.removePoolContainer(slot);
      store.forgetPoolContainer(slot);
    } catch (ActivityFailure failure) {
      // Still in use (a zombie the reconciliation has not removed yet): the next pass tries again.
      log.info("pool slot {} not released yet: {}", slot.slotId(), failure.getCause());
    }
  }

  private void retire(PoolSlot slot) {
    if (store.retirePoolContainer(slot)) {
      host.removePoolContainer(slot);
      store.forgetPoolContainer(slot);
    }
  }
}
