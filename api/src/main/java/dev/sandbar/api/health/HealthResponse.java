package dev.sandbar.api.health;

/**
 * Health of the API and what it depends on.
 *
 * @param state {@code starting | recovering | ready}: where the application is in its start-up
 *     (requests other than health wait until {@code ready})
 * @param status {@code up} when Temporal, the database and Docker are all up, else {@code down}
 * @param docker whether at least one online host reaches its Docker daemon and heartbeats
 */
record HealthResponse(
    String state, String status, String temporal, String database, String docker) {

  static final String UP = "up";
  static final String DOWN = "down";

  static HealthResponse of(StartupState state, boolean temporal, boolean database, boolean docker) {
    return new HealthResponse(
        state.word(),
        temporal && database && docker ? UP : DOWN,
        word(temporal),
        word(database),
        word(docker));
  }

  /** Whether the application serves requests: started, and everything it needs up. */
  boolean ready() {
    return UP.equals(status) && StartupState.READY.word().equals(state);
  }

  private static String word(boolean up) {
    return up ? UP : DOWN;
  }
}
