package dev.sandbar.workflows.model;

/**
 * Names a sandbox's container. Docker names are derived from the sandbox id, so a retried call
 * always finds what an earlier attempt made.
 */
public record ContainerRef(String sandboxId) {
  public String containerName() {
    return "sandbar-" + sandboxId;
  }

  public String volumeName() {
    return "sandbar-data-" + sandboxId;
  }
}
