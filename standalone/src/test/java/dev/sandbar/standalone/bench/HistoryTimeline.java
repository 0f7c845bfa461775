package dev.sandbar.standalone.bench;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    Map<String, Double> gaps = new LinkedHashMap<>();
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

  /**
   * The named spans of one request: the API's part before the first and after the last event, and
   * in each workflow every workflow task's wait (scheduled to started: queue and poll) and run
   * (started to completed: the worker's handling and its answer), every activity's wait and run
   * (the run of a host activity is its Docker calls). Spans of different workflows may overlap.
   */
  static Map<String, Double> spans(
      WorkflowClient client, List<Involved> workflows, double startMs, double endMs) {
    Map<String, Double> spans = new LinkedHashMap<>();
    double first = Double.MAX_VALUE;
    double last = startMs;
    for (Involved workflow : workflows) {
      Map<Long, Double> scheduledAt = new HashMap<>();
      Map<Long, Double> startedAt = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      Map<String, Integer> seen = new HashMap<>();
      for (HistoryEvent event :
          client.fetchHistory(workflow.workflowId()).getHistory().getEventsList()) {
        double at = atMs(event);
        if (at < startMs - 1 || at > endMs + 1) {
          continue;
        }
        first = Math.min(first, at);
        last = Math.max(last, at);
        long id = event.getEventId();
        if (event.hasWorkflowTaskScheduledEventAttributes()) {
          scheduledAt.put(id, at);
          names.put(id, workflow.label() + ": workflow task #" + seen.merge("wt", 1, Integer::sum));
        } else if (event.hasActivityTaskScheduledEventAttributes()) {
          String type = event.getActivityTaskScheduledEventAttributes().getActivityType().getName();
          int nth = seen.merge(type, 1, Integer::sum);
          scheduledAt.put(id, at);
          names.put(id, workflow.label() + ": activity " + type + (nth > 1 ? " #" + nth : ""));
        } else if (event.hasWorkflowTaskStartedEventAttributes()) {
          span(
              spans,
              names,
              scheduledAt,
              startedAt,
              event.getWorkflowTaskStartedEventAttributes().getScheduledEventId(),
              at);
        } else if (event.hasActivityTaskStartedEventAttributes()) {
          span(
              spans,
              names,
              scheduledAt,
              startedAt,
              event.getActivityTaskStartedEventAttributes().getScheduledEventId(),
              at);
        } else if (event.hasWorkflowTaskCompletedEventAttributes()) {
          end(
              spans,
              names,
              startedAt,
              event.getWorkflowTaskCompletedEventAttributes().getScheduledEventId(),
              at);
        } else if (event.hasActivityTaskCompletedEventAttributes()) {
          end(
              spans,
              names,
              startedAt,
              event.getActivityTaskCompletedEventAttributes().getScheduledEventId(),
              at);
        }
      }
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    ordered.put(
        "api: request to first workflow event", first == Double.MAX_VALUE ? 0 : first - startMs);
    ordered.putAll(spans);
    ordered.put("api: last workflow event to answer", Math.max(0, endMs - last));
    return ordered;
  }

  private static void span(
      Map<String, Double> spans,
      Map<Long, String> names,
      Map<Long, Double> scheduledAt,
      Map<Long, Double> startedAt,
      long scheduledId,
      double at) {
    startedAt.put(scheduledId, at);
    if (names.containsKey(scheduledId)) {
      spans.merge(names.get(scheduledId) + " wait", at - scheduledAt.get(scheduledId), Double::sum);
    }
  }

  private static void end(
      Map<String, Double> spans,
      Map<Long, String> names,
      Map<Long, Double> startedAt,
      long scheduledId,
      double at) {
    if (names.containsKey(scheduledId) && startedAt.containsKey(scheduledId)) {
      spans.merge(names.get(scheduledId) + " run", at - startedAt.get(scheduledId), Double::sum);
    }
  }

  private static double atMs(HistoryEvent event) {
    return event.getEventTime().getSeconds() * 1000.0 + event.getEventTime().getNanos() / 1e6;
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
