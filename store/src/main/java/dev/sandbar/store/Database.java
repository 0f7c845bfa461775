package dev.sandbar.store;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** The Jdbi every DAO of this module runs on. */
public final class Database {

  private Database() {}

  /** A Jdbi over {@code dataSource} with SqlObject and PostgreSQL types (arrays, jsonb) set up. */
  public static Jdbi jdbi(DataSource dataSource) {
    return Jdbi.create(dataSource)
        .installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin());
  }

  /** Whether the database answers a trivial query; throws what Jdbi throws when it cannot. */
  public static boolean answers(Jdbi jdbi) {
    return jdbi.withHandle(handle -> handle.createQuery("select 1").mapTo(Integer.class).one())
        == 1;
  }
}
