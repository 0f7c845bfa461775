package dev.sandbar.store.sandbox;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The container health column of the read model (see {@code V8__sandbox_health.sql}). */
public interface SandboxHealthDao {

  /**
   * Writes the health of a running sandbox whose row is still at {@code seq}: a report about a
   * sandbox that has moved on since is dropped. Returns the number of rows changed.
   */
  @SqlUpdate(
      """
      update sandboxes set health = :health
      where id = :id and seq = :seq and state = 'running'
      """)
  int record(@Bind("id") String id, @Bind("seq") long seq, @Bind("health") String health);
}
