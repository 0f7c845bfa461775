package dev.sandbar.api.health;

/**
 * Health of the API and what it depends on; each value is {@code up} or {@code down}.
 *
 * @param docker whether at least one online host reaches its Docker daemon and heartbeats
 */
record HealthResponse(String status, String temporal, String database, String docker) {

  static final String UP = "up";
  static final String DOWN = "down";

  static HealthResponse of(boolean temporal, boolean database, boolean docker) {
    return new HealthResponse(
        temporal && database && docker ? UP : DOWN, word(temporal), word(database), word(docker));
  }

  boolean up() {
    return UP.equals(status);
  }

  private static String word(boolean up) {
    return up ? UP : DOWN;
  }
}
