package dev.sandbar.store.sandbox;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code sandboxes} read model, as the API reads it.
 *
 * @param state the wire (lower-case) name of the {@code SandboxState}
 * @param spec the {@code SandboxSpec} as JSON: {@code StoredJson.read(spec, SandboxSpec.class)}
 */
public record SandboxRow(
    String id,
    String tenantId,
    @Nullable String hostId,
    String state,
    @Nullable String error,
    String image,
    String spec,
    @Nullable String archiveId,
    long seq,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant lastActivityAt,
    @Nullable String health) {

  /** Wire names of the two states this row's own methods test for. */
  static final String CREATING = "creating";

  static final String DESTROYED = "destroyed";

  public boolean isDestroyed() {
    return DESTROYED.equals(state);
  }

  /** Inserted by the API but not yet written by its workflow, which may never have started. */
  public boolean isUnstarted() {
    return seq == 0 && CREATING.equals(state);
  }
}
