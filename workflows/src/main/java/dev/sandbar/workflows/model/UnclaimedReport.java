package dev.sandbar.workflows.model;

/**
 * A container of this installation on a host whose sandbox id the database does not know, left in
 * place by the reconciliation (it has a data volume, or is younger than the safety age).
 */
public record UnclaimedReport(String containerId, String sandboxId, boolean hasVolume) {}
