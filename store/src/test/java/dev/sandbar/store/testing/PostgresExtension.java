package dev.sandbar.store.testing;

import dev.sandbar.store.Database;
import dev.sandbar.store.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM, migrated with the production
 * Flyway scripts ({@link Migrations}), shared by every test class that registers this extension.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
 *
 * @BeforeEach void emptyTables() { POSTGRES.truncate("exec_tasks", "notifications"); }
 * }</pre>
 *
 * <p>The server starts on first use, whether that is this extension's callback or an accessor
 * (Spring's {@code @DynamicPropertySource} asks for {@link #jdbcUrl()} before JUnit's callbacks
 * run), and stops when the JVM exits. Tests share its tables, so each either cleans what it reads
 * or writes rows of its own (a fresh tenant, say).
 */
public final class PostgresExtension implements BeforeAllCallback {

  private static final String USER = "postgres";

  private static EmbeddedPostgres server;

  private Jdbi jdbi;

  @Override
  public void beforeAll(ExtensionContext context) {
    server();
  }

  public DataSource dataSource() {
    return server().getPostgresDatabase();
  }

  public String jdbcUrl() {
    return server().getJdbcUrl(USER, USER);
  }

  public String user() {
    return USER;
  }

  public String password() {
    return USER;
  }

  /** A Jdbi set up as production code sets it up ({@link Database#jdbi}). */
  public synchronized Jdbi jdbi() {
    if (jdbi == null) {
      jdbi = Database.jdbi(dataSource());
    }
    return jdbi;
  }

  /** Empties {@code tables}, as a test does before it writes rows it will count. */
  public void truncate(String... tables) {
    jdbi().useHandle(handle -> handle.execute("truncate " + String.join(", ", tables)));
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      EmbeddedPostgres started;
      try {
        started = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      Migrations.apply(started.getPostgresDatabase());
      server = started;
    }
    return server;
  }
}
