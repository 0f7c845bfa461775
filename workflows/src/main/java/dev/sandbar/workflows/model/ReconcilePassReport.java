package dev.sandbar.workflows.model;

/** What one reconciliation pass did and how long it took (workflow time), for the metrics. */
public record ReconcilePassReport(ReconcileSummary summary, long durationMs) {}
