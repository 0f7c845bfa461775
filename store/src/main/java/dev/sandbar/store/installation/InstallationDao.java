package dev.sandbar.store.installation;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** The one-row {@code installation} table: this deployment's id, fixed by the first worker. */
public interface InstallationDao {

  @SqlQuery("select id from installation")
  Optional<String> find();

  /** Inserts {@code id} unless an id is already stored; the stored one always wins. */
  @SqlUpdate("insert into installation (id) values (:id) on conflict (singleton) do nothing")
  void insertIfAbsent(@Bind("id") String id);

  /**
   * The installation id: the stored one, or {@code candidate} when none is stored yet. Safe when
   * several workers start at once: the first insert wins and every worker reads that id.
   */
  @Transaction
  default String ensure(String candidate) {
    insertIfAbsent(candidate);
    return find().orElseThrow();
  }
}
