package dev.sandbar.standalone;

import com.github.dockerjava.api.DockerClient;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sandbar.activities.container.DockerSandboxFiles;
import dev.sandbar.worker.TemporalMetrics;
import dev.sandbar.worker.WorkerProperties;
import dev.sandbar.workflows.files.SandboxFiles;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The shared infrastructure of standalone mode. These beans take precedence over the conditional
 * ones of the API and worker auto-configurations.
 */
@Configuration(proxyBeanMethods = false)
class StandaloneConfiguration {

  @Bean(destroyMethod = "close")
  EmbeddedServices embeddedServices(
      @Value("${sandbar.data-dir}") Path dataDir,
      @Value("${sandbar.db.url:${SANDBAR_DB_URL:}}") String dbUrl,
      @Value("${sandbar.temporal.address:${TEMPORAL_ADDRESS:}}") String temporalAddress,
      @Value("${sandbar.temporal.embedded-port:7233}") int temporalPort) {
    return EmbeddedServices.start(dataDir, dbUrl, temporalAddress, temporalPort);
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      EmbeddedServices services,
      @Value("${SANDBAR_DB_USER:}") String user,
      @Value("${SANDBAR_DB_PASSWORD:}") String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(services.jdbcUrl());
    if (services.embeddedDatabase()) {
      config.setUsername(services.databaseUser());
      config.setPassword(services.databasePassword());
    } else {
      config.setUsername(user.isBlank() ? null : user);
      config.setPassword(password.isBlank() ? null : password);
    }
    config.setMaximumPoolSize(10);
    config.setConnectionTimeout(5_000);
    config.setPoolName("sandbar");
    return new HikariDataSource(config);
  }

  @Bean(destroyMethod = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(
      EmbeddedServices services, ObjectProvider<MeterRegistry> meters) {
    return WorkflowServiceStubs.newServiceStubs(
        TemporalMetrics.reportInto(
                WorkflowServiceStubsOptions.newBuilder().setTarget(services.temporalTarget()),
                meters.getIfAvailable())
            .build());
  }

  /**
   * The files API's way to the sandboxes of this process's own host: the API and the worker share
   * the process, so file bytes stream between the HTTP request and the Docker daemon directly,
   * never through Temporal. It comes first; a sandbox on another host goes through that host's
   * worker's files endpoint (see README, "Files").
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  SandboxFiles sandboxFiles(
      DockerClient docker,
      WorkerProperties worker,
      @Value("${sandbar.files.max-bytes:${SANDBAR_FILE_MAX_BYTES:1073741824}}") long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("SANDBAR_FILE_MAX_BYTES must be at least 1");
    }
    return new DockerSandboxFiles(docker, worker.hostId(), maxBytes);
  }
}
