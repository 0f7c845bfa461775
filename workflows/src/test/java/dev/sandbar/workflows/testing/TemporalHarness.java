package dev.sandbar.workflows.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.workflows.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.mockito.stubbing.Answer;

/**
 * What the workflow harnesses share: a time-skipping Temporal test service with a worker on the
 * control queue, one on the queue of {@link #HOST_ID} and one on its command-wait queue, the way a
 * worker wires them, plus gates that hold activity mocks and waits for what workflows do on their
 * own. A subclass registers its workflows and activities, stubs its mocks, then calls {@link
 * #start()}.
 */
public abstract class TemporalHarness implements AutoCloseable {

  public static final String HOST_ID = "host-a";
  public static final String SANDBOX_ID = "sbx-1";
  public static final String TENANT_ID = "tenant-1";

  /** How long a test waits in real time for something the workflow does on its own. */
  protected static final Duration PATIENCE = Duration.ofSeconds(20);

  public final TestWorkflowEnvironment env;
  public final WorkflowClient client;
  protected final Worker controlWorker;
  protected final Worker hostWorker;

  /**
   * The worker of {@link #HOST_ID}'s command-wait queue, as a host worker runs it beside its own.
   */
  protected final Worker commandWaitWorker;

  private final List<Gate> gates = new ArrayList<>();

  protected TemporalHarness(DataConverter dataConverter) {
    this(dataConverter, WorkerOptions.getDefaultInstance());
  }

  /** With the host queue's worker set up as {@code hostWorkerOptions} say (its slots, say). */
  protected TemporalHarness(DataConverter dataConverter, WorkerOptions hostWorkerOptions) {
    env = TemporalEnvironmentExtension.newEnvironment(dataConverter, true);
    controlWorker = env.newWorker(TaskQueues.CONTROL);
    hostWorker = env.newWorker(TaskQueues.host(HOST_ID), hostWorkerOptions);
    commandWaitWorker = env.newWorker(TaskQueues.commands(HOST_ID));
    client = env.getWorkflowClient();
  }

  /** Options that override the workflows' own for some activity types, as a worker may set. */
  public static WorkflowImplementationOptions overriding(
      Map<String, ActivityOptions> optionsByActivityType) {
    return WorkflowImplementationOptions.newBuilder()
        .setActivityOptions(optionsByActivityType)
        .build();
  }

  protected final void start() {
    env.start();
  }

  /** A gate an activity mock blocks on until the test opens it. */
  public Gate gate() {
    Gate gate = new Gate();
    gates.add(gate);
    return gate;
  }

  @Override
  public void close() {
    gates.forEach(Gate::open);
    env.close();
  }

  /** Waits until {@code check} holds, re-evaluating it every few milliseconds. */
  public static void eventually(String what, BooleanSupplier check) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return;
      }
      pause();
    }
    throw new AssertionError(what + " did not happen within " + PATIENCE);
  }

  /** Sleeps a few milliseconds between two looks at something the workflow does. */
  protected static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** Holds activity calls until {@link #open}, so a test can act while an activity is in flight. */
  public static final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** An answer that blocks at the gate, then returns {@code result}. */
    public <T> Answer<T> thenReturn(T result) {
      return invocation -> {
        entered.countDown();
        if (!opened.await(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
        return result;
      };
    }

    public void awaitEntered() {
      try {
        assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .as("the gated activity was called")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }

    public void open() {
      opened.countDown();
    }
  }
}
