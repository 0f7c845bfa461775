package dev.sandbar.standalone;

import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints how much Sandbar's durable workflows cost over raw docker-java, in the same run on the
 * same daemon. Not a test: it asserts what each step did, never how long it took. Run with {@code
 * bin/bench}.
 */
@Tag("benchmark")
class LatencyBenchmark extends EndToEndTest {

  private static final int ROUNDS = Integer.getInteger("sandbar.bench.rounds", 15);

  @Test
  void printsSandbarOverheadAgainstRawDockerJava() {
    warmUp();
    List<String> lines = new ArrayList<>();
    lines.add(
        compare(
            "create+start (wait: true) vs create+start",
            this::rawCreateStart,
            () -> {
              long start = System.nanoTime();
              String id = api.createRunning("{\"wait\": true}").get("id").asString();
              long elapsed = System.nanoTime() - start;
              api.call("DELETE", "/v1/sandboxes/" + id, null);
              return elapsed;
            }));
    String sandbox = api.createRunning("{\"wait\": true}").get("id").asString();
    String raw = rawContainer();
    lines.add(
        compare(
            "foreground exec round trip vs docker exec",
            () -> time(() -> Shell.run(docker, raw, "echo hi")),
            () -> time(() -> api.exec(sandbox, "{\"command\": \"echo hi\"}", 200))));
    lines.add(
        compare(
            "pause+resume vs pause+unpause",
            () ->
                time(
                    () -> {
                      docker.pauseContainerCmd(raw).exec();
                      docker.unpauseContainerCmd(raw).exec();
                      return null;
                    }),
            () ->
                time(
                    () -> {
                      api.operate(sandbox, "pause");
                      return api.operate(sandbox, "resume");
                    })));
    docker.removeContainerCmd(raw).withForce(true).exec();
    api.call("DELETE", "/v1/sandboxes/" + sandbox, null);

    System.out.println();
    System.out.println("Sandbar latency benchmark (" + ROUNDS + " rounds each; ms)");
    lines.forEach(System.out::println);
    System.out.println();
  }

  private void warmUp() {
    for (int i = 0; i < 2; i++) {
      String id = api.createRunning("{\"wait\": true}").get("id").asString();
      api.call("DELETE", "/v1/sandboxes/" + id, null);
      rawCreateStart();
    }
  }

  private long rawCreateStart() {
    long start = System.nanoTime();
    String id = rawContainer();
    long elapsed = System.nanoTime() - start;
    docker.removeContainerCmd(id).withForce(true).exec();
    return elapsed;
  }

  private String rawContainer() {
    String id =
        docker
            .createContainerCmd("sandbar-base:latest")
            .withName("bench-raw-" + UUID.randomUUID())
            .withCmd("sleep", "infinity")
            .withHostConfig(HostConfig.newHostConfig().withInit(true))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  private static long time(Supplier<?> step) {
    long start = System.nanoTime();
    step.get();
    return System.nanoTime() - start;
  }

  private static String compare(String name, Supplier<Long> raw, Supplier<Long> sandbar) {
    long[] rawNanos = new long[ROUNDS];
    long[] sandbarNanos = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      rawNanos[i] = raw.get();
      sandbarNanos[i] = sandbar.get();
    }
    double rawMedian = median(rawNanos);
    double sandbarMedian = median(sandbarNanos);
    return String.format(
        Locale.ROOT,
        "  %-44s raw median %7.1f p90 %7.1f | sandbar median %7.1f p90 %7.1f | ratio %.2fx",
        name,
        rawMedian,
        percentile(rawNanos, 0.9),
        sandbarMedian,
        percentile(sandbarNanos, 0.9),
        sandbarMedian / rawMedian);
  }

  private static double median(long[] nanos) {
    return percentile(nanos, 0.5);
  }

  private static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)));
    return sorted[index] / 1_000_000.0;
  }
}
