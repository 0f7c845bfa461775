package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import dev.sandbar.workflows.model.SandboxMetrics.Cpu;
import dev.sandbar.workflows.model.SandboxMetrics.Memory;
import dev.sandbar.workflows.model.SandboxMetrics.Pids;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One-shot {@code docker stats} ({@code stream=false}): the daemon reads the cgroup twice about a
 * second apart, so the CPU percentage is a rate over that second, computed as the Docker CLI does.
 */
final class ContainerStats {

  /** The daemon's two readings take about a second; more means it is stuck. */
  static final Duration STATS_TIMEOUT = Duration.ofSeconds(8);

  private ContainerStats() {}

  /** The one sample the daemon answers for a running or paused container. */
  static Statistics sample(DockerClient docker, String containerId) {
    CompletableFuture<Statistics> first = new CompletableFuture<>();
    ResultCallback.Adapter<Statistics> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Statistics statistics) {
            first.complete(statistics);
          }

          @Override
          public void onError(Throwable throwable) {
            first.completeExceptionally(throwable);
            super.onError(throwable);
          }

          @Override
          public void onComplete() {
            first.completeExceptionally(new IllegalStateException("no statistics answered"));
            super.onComplete();
          }
        };
    try (callback) {
      docker.statsCmd(containerId).withNoStream(true).exec(callback);
      return first.get(STATS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DockerFailures.transientFailure("interrupted while reading stats", e);
    } catch (ExecutionException | TimeoutException | java.io.IOException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw DockerFailures.transientFailure(
          "Docker did not answer stats of " + containerId + ": " + cause, cause);
    }
  }

  static Cpu cpu(Statistics stats) {
    CpuStatsConfig now = stats.getCpuStats();
    if (now == null || now.getCpuUsage() == null || now.getCpuUsage().getTotalUsage() == null) {
      return Cpu.unsupported("the host's cgroup reports no CPU usage");
    }
    long total = now.getCpuUsage().getTotalUsage();
    Double percent = null;
    CpuStatsConfig before = stats.getPreCpuStats();
    if (before != null
        && before.getCpuUsage() != null
        && before.getCpuUsage().getTotalUsage() != null
        && before.getSystemCpuUsage() != null
        && now.getSystemCpuUsage() != null) {
      double cpuDelta = total - before.getCpuUsage().getTotalUsage();
      double systemDelta = now.getSystemCpuUsage() - before.getSystemCpuUsage();
      long cpus = now.getOnlineCpus() == null ? 1 : now.getOnlineCpus();
      percent = systemDelta > 0 && cpuDelta >= 0 ? cpuDelta / systemDelta * cpus * 100.0 : 0.0;
    }
    if (percent == null) {
      return new Cpu(true, "no earlier reading to compute a percentage from", null, total / 1e9);
    }
    return new Cpu(true, null, percent, total / 1e9);
  }

  /** Usage minus reclaimable file cache (cgroup v2 {@code inactive_file}, v1 its total). */
  static Memory memory(Statistics stats) {
    MemoryStatsConfig memory = stats.getMemoryStats();
    if (memory == null || memory.getUsage() == null) {
      return Memory.unsupported("the host's cgroup reports no memory usage");
    }
    long usage = memory.getUsage();
    StatsConfig details = memory.getStats();
    if (details != null) {
      Long inactive =
          details.getInactiveFile() != null
              ? details.getInactiveFile()
              : details.getTotalInactiveFile();
      if (inactive != null && inactive <= usage) {
        usage -= inactive;
      }
    }
    return new Memory(true, null, usage, memory.getLimit());
  }

  static Pids pids(Statistics stats, Long limit) {
    if (stats.getPidsStats() == null || stats.getPidsStats().getCurrent() == null) {
      return Pids.unsupported("the host's cgroup reports no process count");
    }
    return new Pids(true, null, stats.getPidsStats().getCurrent(), limit);
  }
}
