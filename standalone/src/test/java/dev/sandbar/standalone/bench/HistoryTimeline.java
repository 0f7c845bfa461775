package dev.sandbar.standalone.bench;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one request's time went, from the event times Temporal recorded in the histories of the
 * workflows it involved (read through the workflow service's GetWorkflowExecutionHistory). The
 * events of all the workflows are merged in time order and every gap between two consecutive ones
 * is named after them, so each millisecond between the request and its answer is counted once: the
 * API's handling before the first event and after the last, each workflow task's wait and run, each
 * activity's queue wait and run (the Docker calls are the host activities' runs).
 */
final class HistoryTimeline {

  /** A workflow involved, under a short name for the labels. */
  record Involved(String label, String workflowId) {}

  private record Event(String label, double atMs, long order) {}

  private HistoryTimeline() {}

  /**
   * The named gaps of one request that ran from {@code startMs} to {@code endMs} (epoch
   * milliseconds, this JVM's clock, which the embedded Temporal service also uses). A label that
   * recurs (a polling loop) is summed.
   */
  static Map<String, Double> of(
      WorkflowClient client, List<Involved> workflows, double startMs, double endMs) {
    List<Event> events = new ArrayList<>();
    for (Involved workflow : workflows) {
      events.addAll(eventsOf(client, workflow, startMs, endMs));
    }
    events.sort(Comparator.comparingDouble(Event::atMs).thenComparingLong(Event::order));
    Map<String, Double> gaps = new java.util.LinkedHashMap<>();
    String previous = "api: request sent";
    double previousAt = startMs;
    for (Event event : events) {
      gaps.merge(
          previous + " -> " + event.label(), Math.max(0, event.atMs() - previousAt), Double::sum);
      previous = event.label();
      previousAt = event.atMs();
    }
    gaps.merge(previous + " -> api: answer received", Math.max(0, endMs - previousAt), Double::sum);
    return gaps;
  }

  /** How much the workflow's history (its latest run) holds: events, workflow tasks, activities. */
  static HistorySize size(WorkflowClient client, String workflowId) {
    List<HistoryEvent> history = client.fetchHistory(workflowId).getHistory().getEventsList();
    int tasks = 0;
    int activities = 0;
    int markers = 0;
    for (HistoryEvent event : history) {
      tasks += event.hasWorkflowTaskCompletedEventAttributes() ? 1 : 0;
      activities += event.hasActivityTaskScheduledEventAttributes() ? 1 : 0;
      markers += event.hasMarkerRecordedEventAttributes() ? 1 : 0;
    }
    return new HistorySize(history.size(), tasks, activities, markers);
  }

  /** The counts of {@link #size}. */
  record HistorySize(int events, int workflowTasks, int activities, int markers) {
    HistorySize plus(HistorySize other) {
      return new HistorySize(
          events + other.events,
          workflowTasks + other.workflowTasks,
          activities + other.activities,
          markers + other.markers);
    }
  }

  private static List<Event> eventsOf(
      WorkflowClient client, Involved workflow, double startMs, double endMs) {
    List<HistoryEvent> history =
        client.fetchHistory(workflow.workflowId()).getHistory().getEventsList();
    Map<Long, String> activityTypes = new HashMap<>();
    List<Event> events = new ArrayList<>();
    for (HistoryEvent event : history) {
      double at =
          event.getEventTime().getSeconds() * 1000.0 + event.getEventTime().getNanos() / 1e6;
      String detail = "";
      if (event.hasActivityTaskScheduledEventAttributes()) {
        detail = event.getActivityTaskScheduledEventAttributes().getActivityType().getName();
        activityTypes.put(event.getEventId(), detail);
      } else if (event.hasActivityTaskStartedEventAttributes()) {
        detail =
            activityTypes.get(event.getActivityTaskStartedEventAttributes().getScheduledEventId());
      } else if (event.hasActivityTaskCompletedEventAttributes()) {
        detail =
            activityTypes.get(
                event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
      } else if (event.hasMarkerRecordedEventAttributes()) {
        detail = event.getMarkerRecordedEventAttributes().getMarkerName();
      } else if (event.hasStartChildWorkflowExecutionInitiatedEventAttributes()) {
        detail =
            event
                .getStartChildWorkflowExecutionInitiatedEventAttributes()
                .getWorkflowType()
                .getName();
      }
      // Events just outside the window belong to the sandbox's earlier or later requests.
      if (at < startMs - 1 || at > endMs + 1) {
        continue;
      }
      String label = workflow.label() + ": " + shortName(event.getEventType().name());
      if (detail != null && !detail.isEmpty()) {
        label += " (" + detail + ")";
      }
      events.add(new Event(label, at, event.getEventId()));
    }
    return events;
  }

  /** {@code EVENT_TYPE_WORKFLOW_TASK_STARTED} -> {@code WorkflowTaskStarted}. */
  private static String shortName(String eventType) {
    StringBuilder name = new StringBuilder();
    for (String word : eventType.replaceFirst("^EVENT_TYPE_", "").split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }
}
