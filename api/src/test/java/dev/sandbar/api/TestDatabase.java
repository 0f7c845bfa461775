package dev.sandbar.api;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.flywaydb.core.Flyway;

/**
 * One real PostgreSQL for every test in the JVM, migrated with the worker's own Flyway scripts so
 * the API is tested against the schema it will meet.
 */
public final class TestDatabase {

  private static final String MIGRATIONS =
      "filesystem:../activities/src/main/resources/db/migration";

  private static EmbeddedPostgres postgres;

  private TestDatabase() {}

  public static synchronized String jdbcUrl() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      Flyway.configure()
          .dataSource(postgres.getPostgresDatabase())
          .locations(MIGRATIONS)
          .load()
          .migrate();
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      // The JVM is exiting; the temporary data directory goes with it.
                    }
                  }));
    }
    return postgres.getJdbcUrl("postgres", "postgres");
  }
}
