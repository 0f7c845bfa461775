package dev.sandbar.activities.database;

import dev.sandbar.store.pool.PoolDao;
import dev.sandbar.store.pool.PoolRow;
import dev.sandbar.workflows.activity.PoolStoreActivities;
import dev.sandbar.workflows.model.PoolClaim;
import dev.sandbar.workflows.model.PoolMember;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.model.SandboxState;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link PoolStoreActivities} over PostgreSQL. */
public class JdbiPoolStoreActivities implements PoolStoreActivities {

  private final Jdbi jdbi;

  public JdbiPoolStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public PoolSlot claimPoolContainer(PoolClaim claim) {
    return jdbi.withExtension(
        PoolDao.class,
        dao ->
            dao.claim(claim.sandboxId(), claim.hostId(), claim.image())
                .map(row -> new PoolSlot(row.slotId(), row.image()))
                .orElse(null));
  }

  @Override
  public void recordPoolContainer(String hostId, PoolSlot slot) {
    jdbi.useExtension(
        PoolDao.class,
        dao ->
            dao.add(slot.slotId(), hostId, slot.image(), slot.containerName(), slot.volumeName()));
  }

  @Override
  public boolean retirePoolContainer(PoolSlot slot) {
    return jdbi.withExtension(PoolDao.class, dao -> dao.retire(slot.slotId()));
  }

  @Override
  public void forgetPoolContainer(PoolSlot slot) {
    jdbi.useExtension(PoolDao.class, dao -> dao.forget(slot.slotId()));
  }

  @Override
  public List<PoolMember> poolMembers(String hostId) {
    return jdbi.withExtension(PoolDao.class, dao -> dao.onHosts(new String[] {hostId})).stream()
        .map(JdbiPoolStoreActivities::member)
        .toList();
  }

  private static PoolMember member(PoolRow row) {
    return new PoolMember(
        new PoolSlot(row.slotId(), row.image()),
        row.state(),
        row.sandboxId(),
        row.sandboxState() == null ? null : SandboxState.fromWire(row.sandboxState()));
  }
}
