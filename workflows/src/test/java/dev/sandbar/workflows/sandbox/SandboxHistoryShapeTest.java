package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.Operation;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the slim history ({@link HistoryShape}) leaves out: search-attribute upserts of transient
 * states, the local-writes version marker, and a new timer at every wake-up. The read model still
 * gets every transition (the lifecycle and timer tests say so).
 */
class SandboxHistoryShapeTest {

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void eachOperationUpsertsItsSettledStateOnceAndOneTimerServesTheIdleTimeout() {
    SandboxWorkflow sandbox = harness.running(spec(900, IdleAction.PAUSE, 0));
    sandbox.pause(Operation.user());
    sandbox.resume(Operation.user());
    sandbox.touch();
    sandbox.stop(Operation.user());
    sandbox.start(Operation.user());
    sandbox.destroy(new DestroyRequest(Actor.USER, "done", false));
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);

    List<HistoryEvent> events = history(sandbox);
    assertThat(upsertedStates(events))
        .containsExactly(
            "creating", "running", "paused", "running", "stopped", "running", "destroyed");
    assertThat(ofType(events, EventType.EVENT_TYPE_TIMER_STARTED))
        .as("the timer armed at create still fires before every later idle deadline")
        .hasSize(1);
    assertThat(versionMarkers(events))
        .contains(HistoryShape.SLIM_HISTORY_CHANGE)
        .doesNotContain(TransitionRecorder.LOCAL_WRITES_CHANGE);
    io.temporal.common.SearchAttributes attributes =
        WorkflowStub.fromTyped(sandbox).describe().getTypedSearchAttributes();
    assertThat(attributes.get(SearchAttributes.STATE)).isEqualTo("destroyed");
    assertThat(attributes.get(SearchAttributes.HOST)).isEqualTo(SandboxHarness.HOST_ID);
    assertThat(attributes.get(SearchAttributes.TENANT)).isEqualTo(SandboxHarness.TENANT_ID);
  }

  @Test
  void aTimerFiringBeforeTheMovedIdleDeadlineIsFollowedByOneForTheRest() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 0));
    harness.env.sleep(Duration.ofSeconds(50));
    sandbox.touch();
    long touchedAt = sandbox.describe().lastActivityAtMs();

    harness.sleepUntil(touchedAt + 61_000);
    harness.awaitState(sandbox, PAUSED);

    assertThat(harness.awaitTransitionTo(PAUSED).atMs() - touchedAt).isBetween(60_000L, 65_000L);
    List<HistoryEvent> events = history(sandbox);
    assertThat(ofType(events, EventType.EVENT_TYPE_TIMER_STARTED)).hasSize(2);
    assertThat(ofType(events, EventType.EVENT_TYPE_TIMER_FIRED)).hasSize(2);
  }

  @Test
  void aLifetimeEndingBeforeTheArmedTimerCancelsIt() {
    SandboxWorkflow sandbox = harness.running(spec(900, IdleAction.PAUSE, 3_600));
    long changedAt = harness.env.currentTimeMillis();

    assertThat(sandbox.setLifetime(new LifetimeChange(10, false)).state()).isEqualTo(RUNNING);

    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    assertThat(harness.awaitTransitionTo(DESTROYED).atMs() - changedAt).isBetween(9_000L, 15_000L);
    List<HistoryEvent> events = history(sandbox);
    assertThat(ofType(events, EventType.EVENT_TYPE_TIMER_STARTED)).hasSize(2);
    assertThat(ofType(events, EventType.EVENT_TYPE_TIMER_CANCELED)).hasSize(1);
  }

  private List<HistoryEvent> history(SandboxWorkflow sandbox) {
    return harness
        .client
        .fetchHistory(WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId())
        .getEvents();
  }

  private static List<HistoryEvent> ofType(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(event -> event.getEventType() == type).toList();
  }

  /** The state each upsert set, in order (upserts that leave the state alone are skipped). */
  private static List<String> upsertedStates(List<HistoryEvent> events) {
    return events.stream()
        .filter(HistoryEvent::hasUpsertWorkflowSearchAttributesEventAttributes)
        .map(
            event ->
                event
                    .getUpsertWorkflowSearchAttributesEventAttributes()
                    .getSearchAttributes()
                    .getIndexedFieldsMap()
                    .get(SearchAttributes.STATE.getName()))
        .map(SandboxHistoryShapeTest::decode)
        .toList();
  }

  private static List<String> versionMarkers(List<HistoryEvent> events) {
    return events.stream()
        .filter(HistoryEvent::hasMarkerRecordedEventAttributes)
        .map(HistoryEvent::getMarkerRecordedEventAttributes)
        .filter(marker -> marker.getMarkerName().equals("Version"))
        .map(marker -> decode(marker.getDetailsMap().get("changeId").getPayloads(0)))
        .toList();
  }

  private static String decode(Payload payload) {
    return payload == null
        ? null
        : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }
}
