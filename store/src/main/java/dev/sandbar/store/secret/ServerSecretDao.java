package dev.sandbar.store.secret;

import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Secrets shared by every API instance; the first instance to need one creates it. */
public interface ServerSecretDao {

  /** Stores {@code value} unless a secret of that name exists; the existing one always wins. */
  @SqlUpdate(
      "insert into server_secrets (name, value) values (:name, :value) on conflict do nothing")
  void insertIfAbsent(String name, byte[] value);

  /** {@code @SingleValue}: a {@code byte[]} is one column value, not a collection of rows. */
  @SqlQuery("select value from server_secrets where name = :name")
  @SingleValue
  byte[] value(String name);
}
