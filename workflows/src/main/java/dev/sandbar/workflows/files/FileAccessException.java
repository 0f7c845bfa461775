package dev.sandbar.workflows.files;

/** Why a {@link SandboxFiles} call failed, in terms a client can act on. */
public final class FileAccessException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong; each has one HTTP meaning. */
  public enum Reason {
    /** The path cannot be used: through a symlink, the wrong kind of file, a bad name. */
    INVALID_PATH,
    /** Nothing at the path (or its parent, for a list). */
    NOT_FOUND,
    /** The file is larger than the configured limit. */
    TOO_LARGE,
    /** The container does not run, or is gone. */
    NOT_RUNNING,
    /** The upload's body ended before its declared length. */
    SHORT_BODY,
    /** Docker failed in a way a retry may cure. */
    UNAVAILABLE
  }

  private final Reason reason;

  public FileAccessException(Reason reason, String message) {
    this(reason, message, null);
  }

  public FileAccessException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
