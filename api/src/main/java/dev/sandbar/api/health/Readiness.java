package dev.sandbar.api.health;

import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The application's {@link StartupState}. It is ready once Spring Boot says so, after every bean
 * started (a worker in this process has recovered and polls) and every runner ran; a worker in the
 * same process reports its recovery through {@link #recovering()}.
 */
@Component
public class Readiness implements ApplicationListener<ApplicationReadyEvent> {

  private StartupState state = StartupState.STARTING;

  public synchronized StartupState state() {
    return state;
  }

  /** A worker in this process is recovering its host's sandboxes and commands. */
  public synchronized void recovering() {
    if (state == StartupState.STARTING) {
      state = StartupState.RECOVERING;
    }
  }

  @Override
  public synchronized void onApplicationEvent(ApplicationReadyEvent ready) {
    state = StartupState.READY;
    notifyAll();
  }

  /** Waits at most {@code bound} for the application to be ready; answers whether it is. */
  public synchronized boolean awaitReady(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (state != StartupState.READY) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
