package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DockerDaemonExtension.class)
class DockerExecTest {

  /** The platform threads docker-java starts to read attached exec streams. */
  private static final String STREAM_THREAD = "docker-java-stream";

  private final DockerClient docker;

  DockerExecTest(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * Many waits polling at once (a host with hundreds of background commands) each run an attached
   * exec. Past the bound, callers wait on their own threads: docker-java's stream threads, which
   * without it queued for the client's connections by the hundred, stay near the bound, and every
   * exec still answers.
   */
  @Test
  void attachedExecsPastTheBoundWaitOnTheirCallersThreads() throws Exception {
    int callers = 4 * DockerExec.MAX_ATTACHED;
    try (DockerCommandSandbox sandbox = DockerCommandSandbox.start(docker);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      DockerExec exec = new DockerExec(docker);
      List<Future<DockerExec.Result>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> exec.run(sandbox.containerName, 64, "sleep 1; echo ok")));
      }
      int mostStreamThreads = 0;
      while (!results.stream().allMatch(Future::isDone)) {
        mostStreamThreads = Math.max(mostStreamThreads, streamThreads());
        Thread.sleep(10);
      }
      for (Future<DockerExec.Result> result : results) {
        assertThat(result.get().exitCode()).isZero();
        assertThat(result.get().stdoutText()).isEqualTo("ok\n");
      }
      // A stream thread may outlive its caller's permit by a moment; unbounded, all would exist.
      assertThat(mostStreamThreads).isGreaterThan(0).isLessThan(2 * DockerExec.MAX_ATTACHED);
    }
  }

  /**
   * A poll that the daemon answers too late is given up and reported as no answer (its caller
   * heartbeats and asks again), never as a failure; one in time answers as usual.
   */
  @Test
  void aTryRunPastItsLimitAnswersEmptyInsteadOfFailing() {
    try (DockerCommandSandbox sandbox = DockerCommandSandbox.start(docker)) {
      DockerExec exec = new DockerExec(docker);
      assertThat(exec.tryRun(Duration.ofMillis(500), sandbox.containerName, 64, "sleep 3"))
          .isEmpty();
      assertThat(exec.tryRun(Duration.ofSeconds(20), sandbox.containerName, 64, "echo ok"))
          .hasValueSatisfying(result -> assertThat(result.stdoutText()).isEqualTo("ok\n"));
    }
  }

  private static int streamThreads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(STREAM_THREAD))
            .count();
  }
}
