package dev.sandbar.activities.database;

import dev.sandbar.store.testing.PostgresExtension;

/** The store tests' starting point: the sandbox and host tables empty, one tenant. */
final class OneTenant {

  static final String TENANT = "tenant-1";

  private OneTenant() {}

  static void resetTables(PostgresExtension postgres) {
    postgres.truncate("audit_events", "sandboxes", "hosts", "api_keys", "tenants");
    postgres
        .jdbi()
        .useHandle(
            handle ->
                handle.execute("insert into tenants (id, name) values (?, 'Tenant one')", TENANT));
  }
}
