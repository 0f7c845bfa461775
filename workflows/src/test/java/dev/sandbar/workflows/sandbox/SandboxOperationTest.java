package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.MISSING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.SandboxState;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The transition table, read as a newcomer would: from where each operation runs, and to where. */
class SandboxOperationTest {

  @Test
  void eachOperationRunsFromTheStatesItAlwaysRanFrom() {
    assertThat(allowedFrom(SandboxOperation.START))
        .containsExactlyInAnyOrder(STOPPED, ERROR, MISSING);
    assertThat(allowedFrom(SandboxOperation.STOP)).containsExactlyInAnyOrder(RUNNING, PAUSED);
    assertThat(allowedFrom(SandboxOperation.PAUSE)).containsExactly(RUNNING);
    assertThat(allowedFrom(SandboxOperation.RESUME)).containsExactly(PAUSED);
    assertThat(allowedFrom(SandboxOperation.RESTART))
        .containsExactlyInAnyOrder(RUNNING, PAUSED, STOPPED, ERROR);
    assertThat(allowedFrom(SandboxOperation.DESTROY))
        .isEqualTo(EnumSet.complementOf(EnumSet.of(DESTROYED)));
    assertThat(allowedFrom(SandboxOperation.SNAPSHOT))
        .containsExactlyInAnyOrder(RUNNING, PAUSED, STOPPED);
    assertThat(allowedFrom(SandboxOperation.SYNC))
        .containsExactlyInAnyOrder(RUNNING, PAUSED, STOPPED, ERROR, MISSING);
  }

  @Test
  void operationsThatChangeTheStateProjectWhereTheyLead() {
    assertThat(SandboxOperation.START.project(STOPPED)).isEqualTo(RUNNING);
    assertThat(SandboxOperation.STOP.project(RUNNING)).isEqualTo(STOPPED);
    assertThat(SandboxOperation.PAUSE.project(RUNNING)).isEqualTo(PAUSED);
    assertThat(SandboxOperation.RESUME.project(PAUSED)).isEqualTo(RUNNING);
    assertThat(SandboxOperation.RESTART.project(STOPPED)).isEqualTo(RUNNING);
    assertThat(SandboxOperation.DESTROY.project(RUNNING)).isEqualTo(DESTROYED);
    assertThat(SandboxOperation.SNAPSHOT.project(PAUSED)).isEqualTo(PAUSED);
    assertThat(SandboxOperation.SYNC.project(STOPPED)).isEqualTo(STOPPED);
  }

  @Test
  void aValidatorNamesTheOperationAndTheStateAsTheApiShowsThem() {
    ApplicationFailure rejected =
        catchThrowableOfType(
            ApplicationFailure.class, () -> SandboxOperation.SNAPSHOT.validate(DESTROYED));

    assertThat(rejected.getType()).isEqualTo(ErrorType.INVALID_STATE.name());
    assertThat(rejected.getOriginalMessage())
        .isEqualTo("cannot archive a sandbox that is destroyed");
    assertThat(SandboxOperation.SNAPSHOT.refusal(ERROR).getOriginalMessage())
        .isEqualTo("cannot snapshot a sandbox that is error");
  }

  private static Set<SandboxState> allowedFrom(SandboxOperation operation) {
    return Arrays.stream(SandboxState.values())
        .filter(operation::allowedFrom)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(SandboxState.class)));
  }
}
