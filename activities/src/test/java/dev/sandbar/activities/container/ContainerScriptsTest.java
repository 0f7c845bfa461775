package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scripts {@link ContainerScripts} loads: present, code only, with their shared functions. */
class ContainerScriptsTest {

  private static final List<String> ALL =
      List.of(
          ContainerScripts.WRAPPER,
          ContainerScripts.PROBE,
          ContainerScripts.KILL,
          ContainerScripts.COLLECT,
          ContainerScripts.READ,
          ContainerScripts.STARTED,
          ContainerScripts.STREAMS,
          ContainerScripts.STDIN,
          ContainerScripts.FILES);

  @Test
  void everyScriptIsCodeWithoutCommentsOrBlankLines() {
    assertThat(ALL)
        .allSatisfy(
            script ->
                assertThat(script.lines())
                    .isNotEmpty()
                    .noneMatch(String::isBlank)
                    .noneMatch(line -> line.stripLeading().startsWith("#")));
  }

  @Test
  void scriptsThatLookAtProcessesStartWithTheSharedFunctions() {
    String functions = ContainerScripts.load("task-processes.sh");

    assertThat(functions).contains("boot()", "same_boot()", "alive()");
    assertThat(
            List.of(
                ContainerScripts.WRAPPER,
                ContainerScripts.PROBE,
                ContainerScripts.KILL,
                ContainerScripts.STDIN))
        .allSatisfy(script -> assertThat(script).startsWith(functions));
    assertThat(ContainerScripts.COLLECT).doesNotContain("alive()");
  }
}
