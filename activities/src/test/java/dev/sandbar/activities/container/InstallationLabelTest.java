package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every container and volume carries its installation's id, and an installation never lists what
 * another one (sharing the daemon and even the host id) created.
 */
@ExtendWith(DockerDaemonExtension.class)
class InstallationLabelTest {

  private static final String HOST_ID = "shared-host";
  private static final String OURS = "inst-ours";
  private static final String THEIRS = "inst-theirs";

  private final DockerClient docker;
  private final List<String> sandboxIds = new ArrayList<>();

  InstallationLabelTest(DockerClient docker) {
    this.docker = docker;
  }

  @AfterEach
  void removeSandboxes() {
    sandboxIds.forEach(id -> DockerTestSupport.removeAllOf(docker, id));
  }

  @Test
  void containerAndVolumeCarryTheInstallationId() {
    String id = newSandboxId();

    ContainerInfo info = create(new DockerHostActivities(docker, HOST_ID, OURS), id);

    assertThat(docker.inspectContainerCmd(info.containerId()).exec().getConfig().getLabels())
        .containsEntry("sandbar.installation", OURS);
    assertThat(docker.inspectVolumeCmd(new ContainerRef(id).volumeName()).exec().getLabels())
        .containsEntry("sandbar.installation", OURS);
  }

  @Test
  void anotherInstallationsContainersAndVolumesAreNeverListed() {
    String ours = newSandboxId();
    String theirs = newSandboxId();
    create(new DockerHostActivities(docker, HOST_ID, OURS), ours);
    create(new DockerHostActivities(docker, HOST_ID, THEIRS), theirs);

    DockerInventory inventory = new DockerInventory(docker, HOST_ID, OURS);

    assertThat(inventory.containers())
        .extracting(SandboxContainer::sandboxId)
        .contains(ours)
        .doesNotContain(theirs);
    assertThat(inventory.volumeSandboxIds()).contains(ours).doesNotContain(theirs);
    // And the other way round: each installation sees only its own.
    assertThat(new DockerInventory(docker, HOST_ID, THEIRS).containers())
        .extracting(SandboxContainer::sandboxId)
        .contains(theirs)
        .doesNotContain(ours);
  }

  private String newSandboxId() {
    String id = DockerTestSupport.randomSandboxId();
    sandboxIds.add(id);
    return id;
  }

  private static ContainerInfo create(DockerHostActivities host, String sandboxId) {
    SandboxSpec spec = DockerTestSupport.spec("bridge");
    return host.createContainer(new CreateContainer(sandboxId, "tenant-a", HOST_ID, spec));
  }
}
