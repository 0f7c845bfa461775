package dev.sandbar.workflows.model;

/**
 * A pool container as the read model holds it.
 *
 * @param state {@code ready}, {@code claimed} or {@code retiring}
 * @param sandboxState the claiming sandbox's state, null when unclaimed or unknown
 */
public record PoolMember(PoolSlot slot, String state, String sandboxId, SandboxState sandboxState) {

  public boolean ready() {
    return "ready".equals(state);
  }

  public boolean claimed() {
    return "claimed".equals(state);
  }
}
