package dev.sandbar.standalone;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Watches how much heap stays reachable while something runs in this JVM (the standalone system
 * serves the test's requests in-process): a sampler forces a collection every few hundred
 * milliseconds and records the heap used right after it. A transfer that buffered a whole file
 * would show it as retained; garbage a streaming copy leaves behind does not count.
 */
final class HeapWatch implements AutoCloseable {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final long baseline;
  private final Thread sampler;
  private volatile long peak;
  private volatile boolean running = true;

  HeapWatch() {
    this.baseline = retained();
    this.peak = baseline;
    this.sampler =
        Thread.ofPlatform()
            .daemon()
            .name("heap-watch")
            .start(
                () -> {
                  while (running) {
                    peak = Math.max(peak, retained());
                    SandbarTestSupport.sleep(300);
                  }
                });
  }

  /** The most heap held beyond the baseline at any sample so far. */
  long peakGrowthBytes() {
    return peak - baseline;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.join();
  }

  private static long retained() {
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
