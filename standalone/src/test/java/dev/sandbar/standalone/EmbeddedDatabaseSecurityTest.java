package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.activities.archive.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL of standalone mode refuses whoever does not hold its generated password,
 * across a restart, and keeps its password, binaries and data private to the data directory.
 */
class EmbeddedDatabaseSecurityTest {

  /** Any address: a configured Temporal keeps the test from starting an embedded one. */
  private static final String NO_TEMPORAL = "127.0.0.1:1";

  @Test
  void refusesAPasswordLessOrWrongLoginAndKeepsItsSecretsPrivate() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-pg-");
    String url;
    String password;
    try (EmbeddedServices services = EmbeddedServices.start(dataDir, "", NO_TEMPORAL, 0)) {
      url = services.jdbcUrl();
      password = services.databasePassword();
      assertRefusesAllButThePassword(url, password);
      try (Connection connection = connect(url, "postgres", password);
          Statement statement = connection.createStatement()) {
        assertThat(setting(statement, "password_encryption")).isEqualTo("scram-sha-256");
        assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
        assertThat(setting(statement, "listen_addresses")).isEqualTo("localhost");
        assertThat(setting(statement, "unix_socket_directories")).isEmpty();
        assertThat(setting(statement, "data_directory"))
            .isEqualTo(dataDir.resolve("postgres").toString());
      }
    }
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("postgres-password")))
        .isEqualTo(PrivateFiles.FILE);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("postgres-binaries")))
        .isEqualTo(PrivateFiles.DIRECTORY);
    try (var unpacked = Files.list(dataDir.resolve("postgres-binaries").resolve("unpacked"))) {
      assertThat(unpacked)
          .as("binaries unpacked under the data directory")
          .anySatisfy(dir -> assertThat(dir.resolve("bin/postgres")).isExecutable());
    }
    assertThat(Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf")))
        .doesNotContain("trust")
        .contains("scram-sha-256");

    try (EmbeddedServices restarted = EmbeddedServices.start(dataDir, "", NO_TEMPORAL, 0)) {
      assertThat(restarted.databasePassword()).as("kept, not regenerated").isEqualTo(password);
      assertRefusesAllButThePassword(restarted.jdbcUrl(), password);
    }
  }

  @Test
  void generatedKeysAreKeptInPrivateFiles() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-keys-");
    Path keyFile = dataDir.resolve("api-key");

    String key = StandaloneApplication.secret("SANDBAR_TEST_UNSET_KEY_VARIABLE", keyFile);

    assertThat(Files.readString(keyFile)).isEqualTo(key + "\n");
    assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PrivateFiles.FILE);
    assertThat(StandaloneApplication.secret("SANDBAR_TEST_UNSET_KEY_VARIABLE", keyFile))
        .as("kept across restarts")
        .isEqualTo(key);
  }

  private static void assertRefusesAllButThePassword(String url, String password)
      throws SQLException {
    assertThatThrownBy(() -> connect(url, "postgres", null).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(() -> connect(url, "postgres", "postgres").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
    try (Connection connection = connect(url, "postgres", password)) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(url, properties);
  }

  private static String setting(Statement statement, String name) throws SQLException {
    try (ResultSet result = statement.executeQuery("show " + name)) {
      result.next();
      return result.getString(1);
    }
  }
}
