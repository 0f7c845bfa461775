package dev.sandbar.standalone;

import dev.sandbar.api.health.Readiness;
import dev.sandbar.worker.WorkerProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Marks the start of the worker's start-up recovery: it starts in the phase just before the host
 * worker's, after the web server's, so {@code /v1/health} says {@code recovering} while the worker
 * gives sandboxes and commands their workflows back (requests wait meanwhile, see the API's
 * readiness gate); the application is ready once the worker polls.
 */
@Component
class RecoveryProgress implements SmartLifecycle {

  private final Readiness readiness;
  private final String hostId;
  private volatile boolean running;

  RecoveryProgress(Readiness readiness, WorkerProperties worker) {
    this.readiness = readiness;
    this.hostId = worker.hostId();
  }

  @Override
  public void start() {
    readiness.recovering();
    Console.progress("recovering the sandboxes and commands of host {}", hostId);
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // The host worker runs in the default phase, Integer.MAX_VALUE.
    return DEFAULT_PHASE - 1;
  }
}
