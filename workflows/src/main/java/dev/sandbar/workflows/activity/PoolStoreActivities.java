package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.PoolClaim;
import dev.sandbar.workflows.model.PoolMember;
import dev.sandbar.workflows.model.PoolSlot;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The warm pool's rows in the read model; runs on the control queue. */
@ActivityInterface
public interface PoolStoreActivities {

  /**
   * Claims the oldest ready pool container of the image on the host for the sandbox, atomically;
   * null when there is none. A retry returns the container the first attempt claimed.
   */
  PoolSlot claimPoolContainer(PoolClaim claim);

  /** Records a started pool container as ready to claim; a second call changes nothing. */
  void recordPoolContainer(String hostId, PoolSlot slot);

  /**
   * Takes a ready container out of the pool before its removal: false when a create claimed it
   * first. Idempotent.
   */
  boolean retirePoolContainer(PoolSlot slot);

  /** Forgets a removed pool container. Idempotent. */
  void forgetPoolContainer(PoolSlot slot);

  /** The host's pool rows, with the claiming sandboxes' states. Read-only. */
  List<PoolMember> poolMembers(String hostId);
}
