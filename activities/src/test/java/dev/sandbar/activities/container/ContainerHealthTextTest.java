package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.workflows.model.Health;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The health Docker appends to a listed container's status text. */
class ContainerHealthTextTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Up 2 minutes (healthy)                 | HEALTHY
          Up 5 seconds (unhealthy)               | UNHEALTHY
          Up 1 second (health: starting)         | STARTING
          Up 3 hours                             | NONE
          Up 3 hours (Paused)                    | NONE
          Exited (137) 5 seconds ago             | NONE
          Created                                | NONE
          """)
  void readsTheHealthFromTheStatusText(String status, Health health) {
    assertThat(SandboxContainer.healthOf(status)).isEqualTo(health);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"''"})
  void anEmptyOrMissingStatusHasNone(String status) {
    assertThat(SandboxContainer.healthOf(status)).isEqualTo(Health.NONE);
    assertThat(SandboxContainer.healthOf(null)).isEqualTo(Health.NONE);
  }
}
