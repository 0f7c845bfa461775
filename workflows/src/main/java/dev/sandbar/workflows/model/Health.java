package dev.sandbar.workflows.model;

import java.util.Locale;

/** A container's health as Docker reports it. */
public enum Health {
  /** Within its start period, or no check has finished yet. */
  STARTING,
  HEALTHY,
  UNHEALTHY,
  /** The container has no health check (or is not running). */
  NONE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Docker's words ({@code healthy}, ...); null or anything else is {@link #NONE}. */
  public static Health fromWire(String value) {
    if (value == null) {
      return NONE;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "starting" -> STARTING;
      case "healthy" -> HEALTHY;
      case "unhealthy" -> UNHEALTHY;
      default -> NONE;
    };
  }
}
