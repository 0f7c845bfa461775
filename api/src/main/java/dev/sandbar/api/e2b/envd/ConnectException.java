package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.problem.ApiProblem;

/** A Connect error: its code and the message E2B's SDK shows its user. */
final class ConnectException extends RuntimeException {

  private final ConnectCode code;

  ConnectException(ConnectCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  ConnectCode code() {
    return code;
  }

  /** The native API's problem as a Connect error, its detail the message. */
  static ConnectException of(ApiProblem problem) {
    return new ConnectException(ConnectCode.of(problem), problem.getMessage());
  }

  static ConnectException invalid(String message) {
    return new ConnectException(ConnectCode.INVALID_ARGUMENT, message);
  }

  /** A call Sandbar does not serve, named so a user knows which. */
  static ConnectException unimplemented(String call, String why) {
    return new ConnectException(
        ConnectCode.UNIMPLEMENTED, call + " is not supported by Sandbar: " + why);
  }
}
