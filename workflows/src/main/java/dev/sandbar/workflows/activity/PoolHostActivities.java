package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.model.PooledContainer;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Docker work of one host's warm pool; runs on that host's queue. */
@ActivityInterface
public interface PoolHostActivities {

  /** The pool containers on this host not yet claimed (still under their pool name). Read-only. */
  List<PooledContainer> listPoolContainers();

  /**
   * Creates and starts a pool container with its own data volume, each only if absent, on the
   * host's pool network. Idempotent: the names come from the slot id. {@code IMAGE_NOT_FOUND} when
   * the image is not on the host.
   */
  void createPoolContainer(PoolSlot slot);

  /** Removes a pool container and its volume; anything already gone counts as removed. */
  void removePoolContainer(PoolSlot slot);

  /**
   * Turns a claimed pool container into the sandbox: renames it to the sandbox's name, applies the
   * limits ({@code docker update}), joins the sandbox's network and leaves the pool's, and writes
   * the sandbox's environment for the exec wrapper. Every step checks what is done, so a retry
   * finishes the job. {@code CONTAINER_GONE} when the pool container is gone (died after the
   * claim).
   */
  ContainerInfo adoptPoolContainer(AdoptPooled request);
}
