package dev.sandbar.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The schema, as the Flyway scripts under {@code db/migration} of this module describe it. The
 * location is the one the scripts always had, so databases migrated before they moved here keep a
 * history whose checksums still match.
 */
public final class Migrations {

  /** Where the scripts are, on the classpath. */
  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /**
   * Brings the schema up to date. Safe to call from every worker and API process at start-up:
   * Flyway serialises concurrent migrations with a lock in the database.
   */
  public static void apply(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
  }
}
