package dev.sandbar.api.config;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.RootScopeBuilder;
import com.zaxxer.hikari.HikariDataSource;
import dev.sandbar.api.ApiApplication;
import dev.sandbar.store.Database;
import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;

/**
 * Everything the HTTP API needs, as an auto-configuration because several Boot applications share
 * one classpath in standalone mode and none of them may carry an {@code application.yml}. Each
 * infrastructure bean backs off when the application defines its own (the standalone launcher
 * brings an embedded Temporal service and PostgreSQL; the worker brings its own data source).
 */
@AutoConfiguration(
    before = {
      DataSourceAutoConfiguration.class,
      JacksonAutoConfiguration.class,
      ErrorMvcAutoConfiguration.class
    },
    // When a worker shares the process, its Jdbi (created after its Flyway migration) wins.
    afterName = "dev.sandbar.worker.WorkerAutoConfiguration")
public class ApiAutoConfiguration {

  private static final String BEARER = "bearer";

  @Bean
  @ConditionalOnMissingBean
  public SandbarApiProperties sandbarApiProperties(
      @Value("${sandbar.default-image:sandbar-base:latest}") String defaultImage,
      @Value("${sandbar.admin-key:${SANDBAR_ADMIN_KEY:}}") String adminKey,
      @Value("${sandbar.temporal.ui-url:${TEMPORAL_UI_URL:http://localhost:8233}}")
          String temporalUiUrl,
      @Value("${sandbar.exec.stall-seconds:45}") long execStallSeconds,
      @Value("${sandbar.exec.background-limit-seconds:1800}") long execBackgroundLimitSeconds) {
    return new SandbarApiProperties(
        defaultImage, adminKey, temporalUiUrl, execStallSeconds, execBackgroundLimitSeconds);
  }

  /**
   * Connects lazily, so the API starts (and answers 503) while Temporal is away. The short retry
   * expiration turns an unreachable Temporal into a 503 within seconds instead of the SDK's default
   * minute of retries. Not made when the application brings its own client: the API only uses the
   * stubs behind the client.
   */
  @Bean(destroyMethod = "shutdown")
  @ConditionalOnMissingBean({WorkflowServiceStubs.class, WorkflowClient.class})
  public WorkflowServiceStubs workflowServiceStubs(
      @Value("${sandbar.temporal.address:${TEMPORAL_ADDRESS:127.0.0.1:7233}}") String target,
      @Value("${sandbar.temporal.rpc-retry-expiration:10s}") Duration retryExpiration,
      ObjectProvider<MeterRegistry> meters) {
    MeterRegistry registry = meters.getIfAvailable();
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(target)
            // The SDK's client metrics (temporal_* series) on /actuator/prometheus.
            .setMetricsScope(
                registry == null
                    ? new NoopScope()
                    : new RootScopeBuilder()
                        .reporter(new MicrometerClientStatsReporter(registry))
                        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10)))
            .setRpcRetryOptions(
                RpcRetryOptions.newBuilder()
                    .setExpiration(retryExpiration)
                    .validateBuildWithDefaults())
            .build());
  }

  @Bean
  @ConditionalOnMissingBean
  public WorkflowClient workflowClient(
      WorkflowServiceStubs stubs,
      @Value("${sandbar.temporal.namespace:${TEMPORAL_NAMESPACE:default}}") String namespace) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(namespace)
            .setDataConverter(RejectionPreservingFailureConverter.DATA_CONVERTER)
            .build());
  }

  /** The pool starts on first use, so a database that is down yields 503s, not a failed boot. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public DataSource dataSource(
      @Value("${sandbar.db.url:${SANDBAR_DB_URL:jdbc:postgresql://127.0.0.1:5432/sandbar}}")
          String url,
      @Value("${sandbar.db.user:${SANDBAR_DB_USER:sandbar}}") String user,
      @Value("${sandbar.db.password:${SANDBAR_DB_PASSWORD:sandbar}}") String password) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setPoolName("sandbar-api");
    dataSource.setJdbcUrl(url);
    dataSource.setUsername(user);
    dataSource.setPassword(password);
    dataSource.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    return dataSource;
  }

  @Bean
  @ConditionalOnMissingBean
  public Jdbi jdbi(DataSource dataSource) {
    return Database.jdbi(dataSource);
  }

  /**
   * A request with a field the API does not know is a client bug (a typo silently ignored would
   * create a sandbox unlike the one asked for), so it is rejected; so are numbers and booleans sent
   * as strings and fractions where whole numbers are expected.
   */
  @Bean
  @ConditionalOnMissingBean(name = "sandbarStrictJson")
  public JsonMapperBuilderCustomizer sandbarStrictJson() {
    return builder ->
        builder
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
  }

  @Bean
  @ConditionalOnMissingBean
  public OpenAPI sandbarOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Sandbar API")
                .version("v1")
                .description(
                    "Sandbox containers as durable Temporal workflows. Authenticate with"
                        + " `Authorization: Bearer <api key>`."))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  /**
   * The controllers, services and the exception handler. Scanned here rather than by the
   * application so that any Boot application with this module on its classpath serves the API.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ComponentScan(
      basePackageClasses = ApiApplication.class,
      excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(
            type = FilterType.CUSTOM,
            classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = ApiApplication.class),
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern = "dev\\.sandbar\\.api\\.config\\..*")
      })
  static class ApiComponents {}
}
