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
    List<String> hostLabels) {}
