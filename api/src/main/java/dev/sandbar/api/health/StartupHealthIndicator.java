package dev.sandbar.api.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code startup} in {@code /actuator/health/readiness}: up once the application is ready, out of
 * service while it is starting or recovering, with the {@link StartupState} as {@code state}.
 */
@Component
class StartupHealthIndicator implements HealthIndicator {

  private final Readiness readiness;

  StartupHealthIndicator(Readiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public Health health() {
    StartupState state = readiness.state();
    Health.Builder health = state == StartupState.READY ? Health.up() : Health.outOfService();
    return health.withDetail("state", state.word()).build();
  }
}
