package dev.sandbar.standalone.bench;

import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.InventoryActivities;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.ListedContainer;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The other hosts of the reconciliation scenario's fleet: rows in {@code hosts} (draining, so
 * nothing is placed there) holding running sandbox rows of a tenant of their own, and a worker
 * polling each host's queue whose listing shows exactly those sandboxes running, as a healthy
 * host's daemon would. Everything is removed again by {@link #close}.
 */
final class FakeHosts implements AutoCloseable {

  static final String TENANT = "bench-fleet";
  private static final String PREFIX = "bench-fleet-";

  private final Jdbi jdbi;
  private final WorkerFactory workers;

  /** {@code hosts} hosts holding {@code rows} sandbox rows between them. */
  FakeHosts(Jdbi jdbi, WorkflowClient client, int hosts, int rows) {
    this.jdbi = jdbi;
    this.workers = WorkerFactory.newInstance(client);
    jdbi.useTransaction(
        handle -> {
          handle.execute(
              "insert into tenants (id, name) values (?, 'benchmark fleet') on conflict do nothing",
              TENANT);
          for (int h = 0; h < hosts; h++) {
            String host = PREFIX + h;
            handle.execute(
                """
                insert into hosts (id, task_queue, state, cpus, memory_mb, max_sandboxes,
                    last_heartbeat_at, started_at, draining)
                values (?, ?, 'online', 1, 1024, 0, now(), now(), true)
                """,
                host,
                TaskQueues.host(host));
            int count = rows / hosts + (h < rows % hosts ? 1 : 0);
            handle.execute(
                """
                insert into sandboxes (id, tenant_id, host_id, state, container_id, image, cpus,
                    memory_mb, spec, seq, created_at, updated_at)
                select ? || g, ?, ?, 'running', 'c-' || ? || g, 'sandbar-base:latest', 1, 256,
                    '{}'::jsonb, 1, now(), now()
                from generate_series(1, ?) g
                """,
                host + "-sbx-",
                TENANT,
                host,
                host + "-",
                count);
          }
        });
    for (int h = 0; h < hosts; h++) {
      String host = PREFIX + h;
      HostListing listing = listingOf(host);
      workers
          .newWorker(TaskQueues.host(host))
          .registerActivitiesImplementations((InventoryActivities) () -> listing);
    }
    workers.start();
  }

  private HostListing listingOf(String host) {
    List<ListedContainer> containers = new ArrayList<>();
    jdbi.useHandle(
        handle ->
            handle
                .createQuery("select id, container_id from sandboxes where host_id = ?")
                .bind(0, host)
                .map(
                    (rs, ctx) ->
                        new ListedContainer(
                            rs.getString("id"),
                            TENANT,
                            rs.getString("container_id"),
                            ContainerStatus.RUNNING,
                            null,
                            System.currentTimeMillis()))
                .forEach(containers::add));
    List<String> volumes = containers.stream().map(ListedContainer::sandboxId).toList();
    return new HostListing(containers, volumes, System.currentTimeMillis());
  }

  @Override
  public void close() {
    workers.shutdownNow();
    jdbi.useTransaction(
        handle -> {
          handle.execute("delete from sandboxes where tenant_id = ?", TENANT);
          handle.execute("delete from host_events where host_id like ?", PREFIX + "%");
          handle.execute("delete from unclaimed_containers where host_id like ?", PREFIX + "%");
          handle.execute("delete from hosts where id like ?", PREFIX + "%");
        });
  }
}
