package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
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

  private static int streamThreads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(STREAM_THREAD))
            .count();
  }
}
