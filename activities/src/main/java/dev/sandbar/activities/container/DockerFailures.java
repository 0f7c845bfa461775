package dev.sandbar.activities.container;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.workflows.model.ErrorType;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * What a Docker failure means for Temporal's retries, for every container activity. Three kinds:
 *
 * <ul>
 *   <li><b>gone</b>: the container does not exist; a non-retryable {@code CONTAINER_GONE} ({@link
 *       #containerGone}), or {@link ContainerUnavailable} inside an exec before the caller decides;
 *   <li><b>permanent</b>: no retry can cure it (a rejected config, a bad argument, a paused
 *       container); a non-retryable {@link ApplicationFailure} typed with an {@link ErrorType}
 *       ({@link #permanent});
 *   <li><b>transient</b>: everything else Docker answered or failed to answer (daemon restarting,
 *       socket refused, a removal in progress); a {@link DockerOperationException}, which is not an
 *       {@code ApplicationFailure}, so Temporal retries it under the activity's retry policy.
 * </ul>
 */
final class DockerFailures {

  private static final Pattern DOCKER_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"(.*)\"");

  private DockerFailures() {}

  /** A failure no retry can cure. */
  static ApplicationFailure permanent(ErrorType type, String message, Throwable cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type.name(), cause);
  }

  /** A failure no retry can cure, logged as a warning first so an operator sees each one. */
  static ApplicationFailure permanent(Logger log, ErrorType type, String message, Throwable cause) {
    log.warn("{}: {}", type, message);
    return permanent(type, message, cause);
  }

  /** A failure no retry can cure, with no cause behind it. */
  static ApplicationFailure permanent(ErrorType type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type.name());
  }

  /** Docker refused the container's configuration; {@code what} says who refused what. */
  static ApplicationFailure configRejected(String what, DockerException e) {
    return permanent(ErrorType.CONTAINER_CONFIG_REJECTED, what + ": " + dockerMessage(e), e);
  }

  /** A request the activity refuses before asking Docker anything. */
  static ApplicationFailure invalid(String message) {
    return permanent(ErrorType.INVALID_ARGUMENT, message);
  }

  /** The named container does not exist. */
  static ApplicationFailure containerGone(String container, Throwable cause) {
    return permanent(ErrorType.CONTAINER_GONE, "container " + container + " does not exist", cause);
  }

  /** The named container exists but cannot run a process (stopped or paused). */
  static ApplicationFailure notRunning(String container, Throwable cause) {
    return permanent(
        ErrorType.SANDBOX_NOT_RUNNING, "container " + container + " is not running", cause);
  }

  /** A failure another attempt may not see; left to the retry policy. */
  static DockerOperationException transientFailure(String message, Throwable cause) {
    return new DockerOperationException(message, cause);
  }

  /**
   * What a failed exec call means: the container is gone (404) or not running (409), else a
   * transient failure described by {@code what}.
   */
  static RuntimeException ofExec(String container, String what, RuntimeException e) {
    if (e instanceof NotFoundException) {
      return new ContainerUnavailable(true, container, e);
    }
    if (e instanceof ConflictException) {
      return new ContainerUnavailable(false, container, e);
    }
    if (e instanceof DockerOperationException) {
      return e;
    }
    return transientFailure(what + ": " + e.getMessage(), e);
  }

  /**
   * Runs one activity body; typed failures and {@link DockerOperationException}s pass as they are,
   * anything else becomes a transient failure named by {@code what} ("Docker stop of sandbox x on
   * host h").
   */
  static <T> T transientUnlessTyped(Supplier<String> what, Supplier<T> body) {
    try {
      return body.get();
    } catch (ApplicationFailure | DockerOperationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw transientFailure(what.get() + " failed: " + describe(e), e);
    }
  }

  /** Restores the interrupt flag and hands the interruption to Temporal. */
  static RuntimeException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return Activity.wrap(e);
  }

  /** A failure in a sentence: Docker's HTTP status and message, or the root cause. */
  static String describe(RuntimeException e) {
    if (e instanceof DockerException de) {
      return "HTTP " + de.getHttpStatus() + " " + dockerMessage(de);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /** Docker's own sentence out of docker-java's "Status 404: {"message":"..."}" text. */
  static String dockerMessage(DockerException e) {
    String text = String.valueOf(e.getMessage());
    Matcher m = DOCKER_MESSAGE.matcher(text);
    return m.find() ? m.group(1) : text.strip();
  }
}
