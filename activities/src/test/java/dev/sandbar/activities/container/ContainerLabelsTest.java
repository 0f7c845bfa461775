package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The label names and label sets of {@link ContainerLabels}: no Docker. */
class ContainerLabelsTest {

  @Test
  void everyLabelNameIsInSandbarsNamespace() {
    assertThat(ContainerLabels.NAMES)
        .containsExactly(
            "sandbar.sandbox-id",
            "sandbar.host-id",
            "sandbar.tenant-id",
            "sandbar.managed",
            "sandbar.installation")
        .allMatch(name -> name.startsWith("sandbar."))
        .noneMatch(name -> name.startsWith(ContainerLabels.USER_LABEL_PREFIX));
  }

  @Test
  void sandboxLabelsCarryIdsAndNamespacedUserLabels() {
    Map<String, String> labels =
        ContainerLabels.forSandbox("sb-1", "host-a", "tenant-a", "inst-1", Map.of("team", "ml"));

    assertThat(labels)
        .containsOnly(
            Map.entry("sandbar.sandbox-id", "sb-1"),
            Map.entry("sandbar.host-id", "host-a"),
            Map.entry("sandbar.tenant-id", "tenant-a"),
            Map.entry("sandbar.managed", "true"),
            Map.entry("sandbar.installation", "inst-1"),
            Map.entry("sandbar.label.team", "ml"));
  }

  @Test
  void userLabelsCannotOverwriteSandbarsOwn() {
    Map<String, String> user = new HashMap<>();
    user.put("sandbox-id", "forged");
    user.put("managed", "false");
    user.put("installation", "forged");
    user.put("empty", null);

    Map<String, String> labels = ContainerLabels.forSandbox("sb-1", "host-a", null, "inst-1", user);

    assertThat(labels)
        .containsEntry("sandbar.sandbox-id", "sb-1")
        .containsEntry("sandbar.managed", "true")
        .containsEntry("sandbar.installation", "inst-1")
        .containsEntry("sandbar.tenant-id", "")
        .containsEntry("sandbar.label.sandbox-id", "forged")
        .containsEntry("sandbar.label.managed", "false")
        .containsEntry("sandbar.label.empty", "");
  }

  @Test
  void hostSelectionIsTheSameAsMapAndAsFilterTerms() {
    assertThat(ContainerLabels.managedBy("inst-1", "host-a"))
        .containsOnly(
            Map.entry("sandbar.managed", "true"),
            Map.entry("sandbar.installation", "inst-1"),
            Map.entry("sandbar.host-id", "host-a"));
    assertThat(ContainerLabels.managedByTerms("inst-1", "host-a"))
        .containsExactlyInAnyOrder(
            "sandbar.managed=true", "sandbar.installation=inst-1", "sandbar.host-id=host-a");
  }
}
