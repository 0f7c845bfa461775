package dev.sandbar.api.testworker;

import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers as a map. Real Docker is exercised by the activities and standalone tests; the API
 * tests only need a host that answers the sandbox workflow.
 */
public final class InMemoryHostActivities implements HostActivities {

  private final Map<String, ContainerStatus> containers = new ConcurrentHashMap<>();

  @Override
  public ContainerInfo createContainer(CreateContainer request) {
    containers.putIfAbsent(request.sandboxId(), ContainerStatus.CREATED);
    return info(request.sandboxId());
  }

  @Override
  public ContainerInfo createAndStartContainer(CreateContainer request) {
    createContainer(request);
    return startContainer(new ContainerRef(request.sandboxId()));
  }

  @Override
  public ContainerInfo startContainer(ContainerRef ref) {
    return set(ref, ContainerStatus.RUNNING);
  }

  @Override
  public ContainerInfo stopContainer(ContainerRef ref) {
    return set(ref, ContainerStatus.EXITED);
  }

  @Override
  public ContainerInfo pauseContainer(ContainerRef ref) {
    return set(ref, ContainerStatus.PAUSED);
  }

  @Override
  public ContainerInfo unpauseContainer(ContainerRef ref) {
    return set(ref, ContainerStatus.RUNNING);
  }

  @Override
  public void removeContainer(ContainerRef ref) {
    containers.remove(ref.sandboxId());
  }

  @Override
  public ContainerInfo inspectContainer(ContainerRef ref) {
    return info(ref.sandboxId());
  }

  private ContainerInfo set(ContainerRef ref, ContainerStatus status) {
    containers.put(ref.sandboxId(), status);
    return info(ref.sandboxId());
  }

  private ContainerInfo info(String sandboxId) {
    ContainerStatus status = containers.getOrDefault(sandboxId, ContainerStatus.ABSENT);
    return new ContainerInfo(
        status == ContainerStatus.ABSENT ? null : new ContainerRef(sandboxId).containerName(),
        status);
  }
}
