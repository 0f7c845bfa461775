package dev.sandbar.workflows.model;

import java.util.Locale;

/** What the idle timer does to a running sandbox nobody has touched for its idle timeout. */
public enum IdleAction {
  PAUSE,
  STOP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IdleAction fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
