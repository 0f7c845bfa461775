package dev.sandbar.standalone;

import dev.sandbar.activities.archive.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who may reach the embedded PostgreSQL: its superuser, with a password generated once and kept
 * 0600 in the data directory, checked with {@code scram-sha-256} on the loopback interface only.
 * Nothing is trusted, so another local user can neither log in nor, through the superuser, run
 * programs as the Sandbar user (which owns the Docker socket).
 *
 * <p>A fresh cluster (initdb, which the embedded library runs with {@code trust}) gets the password
 * through PostgreSQL's single-user mode before its server first starts, so no moment exists in
 * which the server accepts a login without it.
 */
final class EmbeddedDatabaseAccess {

  static final String USER = "postgres";

  /** Marks a cluster whose superuser has its password; written once it has. */
  private static final String PASSWORD_SET_MARKER = "sandbar-password-set";

  private static final String PG_HBA =
      """
      # Written by Sandbar at every start: password (SCRAM) logins over loopback only, nothing else.
      host    all    all    127.0.0.1/32    scram-sha-256
      host    all    all    ::1/128         scram-sha-256
      """;

  private final Path binaries;
  private final String password;

  private EmbeddedDatabaseAccess(Path binaries, String password) {
    this.binaries = binaries;
    this.password = password;
  }

  /**
   * The access of the database whose binaries are unpacked under {@code binaries}, with the
   * password kept in {@code passwordFile} (generated there, 0600, if absent).
   */
  static EmbeddedDatabaseAccess of(Path binaries, Path passwordFile) {
    try {
      String password;
      if (Files.exists(passwordFile)) {
        password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      } else {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // URL-safe Base64: no quote can end the SQL literal it is written into.
        password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        PrivateFiles.writeString(passwordFile, password + "\n");
      }
      return new EmbeddedDatabaseAccess(binaries, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the database password in " + passwordFile, e);
    }
  }

  String password() {
    return password;
  }

  /**
   * Run by the embedded library after initdb, before the server starts: writes {@code pg_hba.conf}
   * and, on a fresh cluster, gives the superuser its password.
   */
  void secure(File dataDirectory) {
    Path data = dataDirectory.toPath();
    try {
      PrivateFiles.writeString(data.resolve("pg_hba.conf"), PG_HBA);
      Path marker = data.resolve(PASSWORD_SET_MARKER);
      if (!Files.exists(marker)) {
        setPassword(data);
        PrivateFiles.writeString(marker, "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot secure the embedded database in " + data, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while securing the embedded database", e);
    }
  }

  private void setPassword(Path data) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      // PostgreSQL refuses to run as root; the embedded library runs it in a user namespace of
      // its own for the same reason, so single-user mode does too.
      command.addAll(List.of("unshare", "-Uu"));
    }
    command.add(postgresBinary().toString());
    command.addAll(
        List.of(
            "--single", "-D", data.toString(), "-c", "password_encryption=scram-sha-256", USER));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream input = process.getOutputStream()) {
      input.write(
          ("ALTER ROLE " + USER + " PASSWORD '" + password + "';\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "cannot set the embedded database's password (single-user mode): " + output.strip());
    }
  }

  /** The {@code postgres} binary the embedded library unpacked under its working directory. */
  private Path postgresBinary() throws IOException {
    try (DirectoryStream<Path> unpacked = Files.newDirectoryStream(binaries, "PG-*")) {
      for (Path dir : unpacked) {
        Path binary = dir.resolve("bin").resolve("postgres");
        if (Files.isExecutable(binary)) {
          return binary;
        }
      }
    }
    throw new IllegalStateException("no PostgreSQL binaries unpacked under " + binaries);
  }
}
