package dev.sandbar.workflows.model;

/**
 * What one run of the reconciliation cron did, summed over its passes.
 *
 * @param reports observations sent to sandbox workflows (each workflow decides whether to adopt)
 * @param hostsMarkedUnreachable hosts that turned unreachable in this run
 * @param removed zombie and unclaimed containers removed
 * @param unclaimed unclaimed containers seen and left in place (they have a data volume, or are
 *     younger than the safety age), counted once per pass
 */
public record ReconcileSummary(
    int passes, int reports, int hostsMarkedUnreachable, int removed, int unclaimed) {

  public static final ReconcileSummary NONE = new ReconcileSummary(0, 0, 0, 0, 0);

  public ReconcileSummary plus(ReconcileSummary other) {
    return new ReconcileSummary(
        passes + other.passes,
        reports + other.reports,
        hostsMarkedUnreachable + other.hostsMarkedUnreachable,
        removed + other.removed,
        unclaimed + other.unclaimed);
  }
}
