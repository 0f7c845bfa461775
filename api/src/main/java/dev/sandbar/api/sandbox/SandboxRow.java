package dev.sandbar.api.sandbox;

import dev.sandbar.api.config.StoredJson;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code sandboxes} read model. Public only because Jdbi's constructor mapper needs
 * it.
 *
 * @param state the wire (lower-case) name of the state
 * @param spec the {@link SandboxSpec} as JSON
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
    @Nullable Instant lastActivityAt) {

  SandboxSpec parsedSpec() {
    return StoredJson.read(spec, SandboxSpec.class);
  }

  boolean isDestroyed() {
    return SandboxState.DESTROYED.wire().equals(state);
  }

  /** Inserted by the API but not yet written by its workflow, which may never have started. */
  boolean isUnstarted() {
    return seq == 0 && SandboxState.CREATING.wire().equals(state);
  }
}
