package dev.sandbar.standalone.bench;

/**
 * How many times each scenario runs, from system properties {@code sandbar.bench.<name>} (see the
 * README's Benchmarks section). The defaults finish in reasonable time on a 2-core machine; raise
 * them for tighter percentiles.
 */
record BenchSettings(
    int create,
    int createFirstExec,
    int exec,
    int burst,
    int lifecycle,
    int reconcileRows,
    int reconcileHosts,
    int reconcileRunning,
    int reconcilePasses,
    int workerCommands,
    int workerSandboxes,
    int poolSize) {
  static BenchSettings fromSystemProperties() {
    return new BenchSettings(
        Integer.getInteger("sandbar.bench.create", 50),
        Integer.getInteger("sandbar.bench.create-first-exec", 50),
        Integer.getInteger("sandbar.bench.exec", 200),
        Integer.getInteger("sandbar.bench.burst", 50),
        Integer.getInteger("sandbar.bench.lifecycle", 5),
        Integer.getInteger("sandbar.bench.reconcile-rows", 10_000),
        Integer.getInteger("sandbar.bench.reconcile-hosts", 10),
        Integer.getInteger("sandbar.bench.reconcile-running", 50),
        Integer.getInteger("sandbar.bench.reconcile-passes", 5),
        Integer.getInteger("sandbar.bench.worker-commands", 200),
        Integer.getInteger("sandbar.bench.worker-sandboxes", 4),
        Integer.getInteger("sandbar.bench.pool-size", 2));
  }
}
