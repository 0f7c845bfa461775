package dev.sandbar.api.sandbox;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which network modes this deployment offers beyond the tenant networks ({@code isolated}, {@code
 * shared}) and {@code none}, which every deployment offers.
 *
 * @param allowBridge {@code SANDBAR_ALLOW_BRIDGE_NETWORK}: whether a sandbox may join Docker's
 *     default {@code bridge} network, where every tenant's sandboxes reach each other; default off
 */
@Component
public record NetworkPolicy(boolean allowBridge) {

  public NetworkPolicy(
      @Value("${sandbar.network.allow-bridge:${SANDBAR_ALLOW_BRIDGE_NETWORK:false}}")
          boolean allowBridge) {
    this.allowBridge = allowBridge;
  }
}
