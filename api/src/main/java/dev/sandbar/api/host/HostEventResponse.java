package dev.sandbar.api.host;

import dev.sandbar.store.host.HostEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One change made to a host.
 *
 * @param actor {@code admin} (the operator's key) or {@code system} (Sandbar itself)
 * @param action {@code drain}, {@code undrain}, …
 */
record HostEventResponse(String actor, String action, @Nullable String reason, Instant at) {

  static HostEventResponse of(HostEvent event) {
    return new HostEventResponse(event.actor(), event.action(), event.reason(), event.at());
  }
}
