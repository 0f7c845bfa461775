package dev.sandbar.api.health;

import java.util.Locale;

/** Where the application is in its start-up, as {@code /v1/health} reports it. */
public enum StartupState {
  /** Connecting to its services, migrating, registering keys: requests wait. */
  STARTING,
  /** A worker in this process gives sandboxes and commands their workflows back: requests wait. */
  RECOVERING,
  /** Everything started; requests are served. */
  READY;

  /** The word {@code /v1/health} uses. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
