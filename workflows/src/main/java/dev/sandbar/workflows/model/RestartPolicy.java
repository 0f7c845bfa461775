package dev.sandbar.workflows.model;

import java.util.Locale;

/** What the sandbox workflow does when the host reports its container unhealthy. */
public enum RestartPolicy {
  /** Nothing: the health is shown, the sandbox left as it is. */
  NEVER,
  /** The workflow restarts the sandbox (audited, actor {@code system}). */
  ON_UNHEALTHY;

  /** {@code never}, {@code on-unhealthy}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static RestartPolicy fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
