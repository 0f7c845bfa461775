package dev.sandbar.workflows.model;

/**
 * The reconciliation cron's settings, passed as its input.
 *
 * @param passSeconds the period between passes inside one (minute-long) run; default 15
 * @param unclaimedSafetySeconds how old a container of this installation that no sandbox claims and
 *     that has no data volume must be before it is removed; default 600
 */
public record ReconcileSettings(long passSeconds, long unclaimedSafetySeconds) {

  public static final long DEFAULT_PASS_SECONDS = 15;
  public static final long DEFAULT_UNCLAIMED_SAFETY_SECONDS = 600;

  public static final ReconcileSettings DEFAULTS =
      new ReconcileSettings(DEFAULT_PASS_SECONDS, DEFAULT_UNCLAIMED_SAFETY_SECONDS);

  public ReconcileSettings {
    passSeconds = passSeconds <= 0 ? DEFAULT_PASS_SECONDS : passSeconds;
    unclaimedSafetySeconds =
        unclaimedSafetySeconds <= 0 ? DEFAULT_UNCLAIMED_SAFETY_SECONDS : unclaimedSafetySeconds;
  }
}
