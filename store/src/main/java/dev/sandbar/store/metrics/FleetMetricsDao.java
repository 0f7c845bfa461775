package dev.sandbar.store.metrics;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What the Prometheus gauges read from the read model, one query each. */
public interface FleetMetricsDao {

  /**
   * How many sandboxes in one state one host holds.
   *
   * @param hostId empty for sandboxes not placed yet
   */
  record SandboxCount(String hostId, String state, long count) {}

  /** Every sandbox that is not destroyed, counted by host and state. */
  @SqlQuery(
      """
      select coalesce(host_id, '') as host_id, state, count(*) as count
        from sandboxes
       where state <> 'destroyed'
       group by 1, 2
       order by 1, 2
      """)
  @RegisterConstructorMapper(SandboxCount.class)
  List<SandboxCount> sandboxCounts();
}
