package dev.sandbar.standalone.bench;

import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/bench}: the benchmark at the sizes of the {@code sandbar.bench.*} properties (see
 * {@link BenchSettings}), results to {@code sandbar.bench.results} (default {@code
 * target/bench/results.json}). Tagged {@code benchmark}, so the normal build leaves it out.
 */
@Tag("benchmark")
@ExtendWith(DockerDaemonExtension.class)
class BenchmarkRun {

  @Test
  void printsEveryScenarioAgainstRawDocker(@TempDir Path dataDir) {
    Benchmark.run(
        BenchSettings.fromSystemProperties(),
        dataDir,
        Path.of(System.getProperty("sandbar.bench.results", "target/bench/results.json")));
  }
}
