package dev.sandbar.standalone;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sandbar.worker.TemporalMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
}
