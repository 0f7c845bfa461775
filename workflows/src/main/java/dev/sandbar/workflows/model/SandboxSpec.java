package dev.sandbar.workflows.model;

import java.util.List;
import java.util.Map;

/**
 * What a sandbox is made of. Validated by the API before a workflow sees it; every field is filled
 * (defaults applied) by then.
 *
 * @param idleTimeoutSeconds 0 disables the idle timer
 * @param ttlSeconds maximum lifetime; 0 means unlimited
 * @param restoreFrom archive id whose data is restored into the data path before start, or null
 * @param hostLabels labels a host must carry to be chosen (for example {@code gpu})
 * @param healthcheck the container's health check, or null for the image's own (if any)
 * @param restartPolicy null or {@link RestartPolicy#NEVER}: an unhealthy sandbox is left alone
 * @param networkMode {@code isolated}, {@code shared}, {@code none} or {@code bridge}; null (specs
 *     stored before modes existed) means {@code bridge}, what those sandboxes had
 * @param readOnlyRootFilesystem the container's root filesystem is read-only (the data path, {@code
 *     /tmp} and Sandbar's task directory stay writable)
 * @param user the user (name or {@code uid[:gid]}) the container's processes run as; null keeps the
 *     image's
 */
public record SandboxSpec(
    String image,
    List<String> command,
    Map<String, String> env,
    Map<String, String> labels,
    Resources resources,
    long idleTimeoutSeconds,
    IdleAction idleAction,
    long ttlSeconds,
    String dataPath,
    String networkMode,
    String restoreFrom,
    List<String> hostLabels,
    Healthcheck healthcheck,
    RestartPolicy restartPolicy,
    boolean readOnlyRootFilesystem,
    String user) {

  /**
   * A spec with the image's user and health check, a writable root filesystem, and no restart when
   * unhealthy.
   */
  public SandboxSpec(
      String image,
      List<String> command,
      Map<String, String> env,
      Map<String, String> labels,
      Resources resources,
      long idleTimeoutSeconds,
      IdleAction idleAction,
      long ttlSeconds,
      String dataPath,
      String networkMode,
      String restoreFrom,
      List<String> hostLabels) {
    this(
        image,
        command,
        env,
        labels,
        resources,
        idleTimeoutSeconds,
        idleAction,
        ttlSeconds,
        dataPath,
        networkMode,
        restoreFrom,
        hostLabels,
        null,
        null,
        false,
        null);
  }

  /** This spec with another lifetime. */
  public SandboxSpec withTtlSeconds(long ttl) {
    return new SandboxSpec(
        image,
        command,
        env,
        labels,
        resources,
        idleTimeoutSeconds,
        idleAction,
        ttl,
        dataPath,
        networkMode,
        restoreFrom,
        hostLabels,
        healthcheck,
        restartPolicy,
        readOnlyRootFilesystem,
        user);
  }

  /** Whether the workflow restarts the sandbox when its host reports it unhealthy. */
  public boolean restartsWhenUnhealthy() {
    return restartPolicy == RestartPolicy.ON_UNHEALTHY;
  }
}
