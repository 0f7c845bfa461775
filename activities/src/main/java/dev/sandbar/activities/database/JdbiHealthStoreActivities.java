package dev.sandbar.activities.database;

import dev.sandbar.store.sandbox.SandboxHealthDao;
import dev.sandbar.workflows.activity.HealthStoreActivities;
import dev.sandbar.workflows.model.SandboxHealth;
import org.jdbi.v3.core.Jdbi;

/** {@link HealthStoreActivities} over PostgreSQL. */
public class JdbiHealthStoreActivities implements HealthStoreActivities {

  private final Jdbi jdbi;

  public JdbiHealthStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void recordHealth(SandboxHealth health) {
    jdbi.useExtension(
        SandboxHealthDao.class,
        dao -> dao.record(health.sandboxId(), health.seq(), health.health().wire()));
  }
}
