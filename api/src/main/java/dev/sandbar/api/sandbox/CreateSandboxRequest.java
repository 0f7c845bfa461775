package dev.sandbar.api.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/sandboxes}. Every field is optional; {@link SandboxRequestValidator}
 * applies the defaults and the limits.
 *
 * @param idleTimeoutSeconds 0 disables the idle timer
 * @param idleAction {@code pause} or {@code stop}
 * @param ttlSeconds maximum lifetime; 0 means unlimited
 * @param networkMode {@code isolated} (default: the tenant's own network, sandboxes cannot reach
 *     each other), {@code shared} (the tenant's own network, its sandboxes reach each other),
 *     {@code none}, or {@code bridge} (Docker's default network; only where the deployment enables
 *     it)
 * @param restoreFrom id of a ready archive of the caller's tenant whose data fills the data path
 *     before the sandbox first starts
 * @param hostSelector labels ({@code key: value}) a host must carry, as its worker registered them
 *     in {@code SANDBAR_HOST_LABELS}, for the sandbox to be placed there
 * @param waitUntilSettled ({@code wait} in JSON) answer only once the sandbox has settled (running,
 *     error or destroyed)
 * @param healthcheck the container's health check; absent: the image's own, if it has one
 * @param restartPolicy {@code never} (default) or {@code on-unhealthy}: the sandbox is restarted
 *     when its health check reports it unhealthy
 * @param readOnlyRootFilesystem the root filesystem is read-only; the data path, {@code /tmp} and
 *     Sandbar's task directory stay writable
 * @param user user name or {@code uid[:gid]} the sandbox's processes and commands run as; default
 *     the image's
 */
public record CreateSandboxRequest(
    @Nullable String image,
    @Nullable List<String> command,
    @Nullable Map<String, String> env,
    @Nullable Map<String, String> labels,
    @Nullable ResourcesRequest resources,
    @Nullable Long idleTimeoutSeconds,
    @Nullable String idleAction,
    @Nullable Long ttlSeconds,
    @Nullable String dataPath,
    @Nullable String networkMode,
    @Nullable String restoreFrom,
    @JsonProperty("wait") @Nullable Boolean waitUntilSettled,
    @Nullable Map<String, String> hostSelector,
    @Nullable HealthcheckRequest healthcheck,
    @Nullable String restartPolicy,
    @Nullable Boolean readOnlyRootFilesystem,
    @Nullable String user) {

  static final CreateSandboxRequest DEFAULTS =
      new CreateSandboxRequest(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null);

  /**
   * A health check in the manner of Docker's {@code HEALTHCHECK}, replacing the image's.
   *
   * @param test {@code ["CMD-SHELL", "<command>"]}, {@code ["CMD", "<exe>", "<arg>"...]} or {@code
   *     ["NONE"]}
   * @param intervalSeconds between checks (default 10)
   * @param timeoutSeconds a check running longer fails (default 5)
   * @param retries failures in a row that make the container unhealthy (default 3)
   * @param startPeriodSeconds grace after start in which failures do not count (default 0)
   */
  public record HealthcheckRequest(
      @Nullable List<String> test,
      @Nullable Long intervalSeconds,
      @Nullable Long timeoutSeconds,
      @Nullable Integer retries,
      @Nullable Long startPeriodSeconds) {}

  /**
   * Container limits and what placement reserves; an absent field takes its default.
   *
   * @param requestCpus CPUs placement counts on the host; default a fraction of {@code cpus}
   * @param requestMemoryMb memory placement counts on the host; default a fraction of {@code
   *     memoryMb}
   */
  public record ResourcesRequest(
      @Nullable Double cpus,
      @Nullable Long memoryMb,
      @Nullable Long pids,
      @Nullable Double requestCpus,
      @Nullable Long requestMemoryMb) {}
}
