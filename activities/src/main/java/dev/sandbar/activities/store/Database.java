package dev.sandbar.activities.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Schema migration and the Jdbi instance every store class shares. */
public final class Database {

  private Database() {}

  /**
   * Brings the schema up to date. Safe to call from every worker and API process at start-up:
   * Flyway serialises concurrent migrations with a lock in the database.
   */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  /** A Jdbi over {@code dataSource} with SqlObject and PostgreSQL types (arrays, jsonb) set up. */
  public static Jdbi jdbi(DataSource dataSource) {
    return Jdbi.create(dataSource)
        .installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin());
  }
}
