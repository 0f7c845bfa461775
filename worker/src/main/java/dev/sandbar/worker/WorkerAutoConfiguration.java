package dev.sandbar.worker;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.FileSystemArchiveStore;
import dev.sandbar.activities.container.ContainerSafety;
import dev.sandbar.activities.container.DockerArchiveActivities;
import dev.sandbar.activities.container.DockerClients;
import dev.sandbar.activities.container.DockerCommandActivities;
import dev.sandbar.activities.container.DockerHostActivities;
import dev.sandbar.activities.container.DockerHostProbe;
import dev.sandbar.activities.container.DockerInventory;
import dev.sandbar.activities.container.DockerInventoryActivities;
import dev.sandbar.activities.container.DockerMetricsActivities;
import dev.sandbar.activities.container.DockerPoolActivities;
import dev.sandbar.activities.container.DockerSandboxFiles;
import dev.sandbar.activities.container.DockerTaskFileActivities;
import dev.sandbar.activities.container.DockerTaskStreamActivities;
import dev.sandbar.activities.container.TaskOutputCap;
import dev.sandbar.activities.container.TenantNetworks;
import dev.sandbar.activities.container.TrustedHelper;
import dev.sandbar.activities.container.WritableLayerLimit;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.activities.database.JdbiHealthStoreActivities;
import dev.sandbar.activities.database.JdbiPoolStoreActivities;
import dev.sandbar.activities.database.JdbiReconcileStoreActivities;
import dev.sandbar.activities.database.JdbiStoreActivities;
import dev.sandbar.activities.database.JdbiTaskStoreActivities;
import dev.sandbar.store.Database;
import dev.sandbar.store.Migrations;
import dev.sandbar.store.host.HostRegistryDao;
import dev.sandbar.store.installation.InstallationDao;
import dev.sandbar.worker.files.WorkerFileServer;
import dev.sandbar.worker.recovery.StartupRecovery;
import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.model.PoolSettings;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.Resources;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Wiring of a host worker. Every shared bean is conditional so the standalone app, which embeds
 * Temporal and PostgreSQL, can supply its own.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "sandbar.worker.enabled", havingValue = "true", matchIfMissing = true)
public class WorkerAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WorkerAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  WorkerProperties workerProperties(
      @Value("${sandbar.worker.host-id:${SANDBAR_HOST_ID:local}}") String hostId,
      @Value("${sandbar.worker.labels:${SANDBAR_HOST_LABELS:}}") String labels,
      @Value("${sandbar.worker.max-sandboxes:${SANDBAR_HOST_MAX_SANDBOXES:100}}") int maxSandboxes,
      @Value("${sandbar.worker.heartbeat-seconds:10}") int heartbeatSeconds,
      @Value("${sandbar.temporal.namespace:${TEMPORAL_NAMESPACE:default}}") String namespace,
      @Value("${sandbar.worker.cpu-overcommit:${SANDBAR_HOST_CPU_OVERCOMMIT:1}}")
          double cpuOvercommit) {
    // key=value terms, as a create request's hostSelector names them; a bare key means key=true.
    List<String> labelList =
        Arrays.stream(labels.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(s -> s.contains("=") ? s : s + "=true")
            .toList();
    return new WorkerProperties(
        hostId, labelList, maxSandboxes, heartbeatSeconds, namespace, cpuOvercommit);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  DockerClient dockerClient(
      @Value("${sandbar.docker.host:${DOCKER_HOST:unix:///var/run/docker.sock}}") String host) {
    return DockerClients.create(java.net.URI.create(host));
  }

  @Bean(destroyMethod = "shutdown")
  @ConditionalOnMissingBean
  WorkflowServiceStubs workflowServiceStubs(
      @Value("${sandbar.temporal.address:${TEMPORAL_ADDRESS:127.0.0.1:7233}}") String address,
      ObjectProvider<MeterRegistry> meters) {
    return WorkflowServiceStubs.newServiceStubs(
        TemporalMetrics.reportInto(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address),
                meters.getIfAvailable())
            .build());
  }

  @Bean
  @ConditionalOnMissingBean
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, WorkerProperties properties) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(properties.namespace())
            // Workers must encode validator rejections with their type (see the converter).
            .setDataConverter(RejectionPreservingFailureConverter.DATA_CONVERTER)
            .build());
  }

  /** Runs the Flyway migrations before anything reads the database. */
  @Bean
  SchemaMigration schemaMigration(DataSource dataSource) {
    Migrations.apply(dataSource);
    return new SchemaMigration();
  }

  @Bean
  @ConditionalOnMissingBean
  Jdbi jdbi(DataSource dataSource, SchemaMigration migrated) {
    return Database.jdbi(dataSource);
  }

  /**
   * The Docker client of the command waits: its own connection pool, so hundreds of polling waits
   * never queue the container calls of create, stop and destroy behind them.
   */
  @Bean(destroyMethod = "close")
  CommandWaitDocker commandWaitDocker(
      @Value("${sandbar.docker.host:${DOCKER_HOST:unix:///var/run/docker.sock}}") String host) {
    return new CommandWaitDocker(DockerClients.create(java.net.URI.create(host)));
  }

  /** The Docker client {@link #commandWaitDocker} makes, closed with the context. */
  record CommandWaitDocker(DockerClient client) implements AutoCloseable {
    @Override
    public void close() throws java.io.IOException {
      client.close();
    }
  }

  /** Archives live in a directory per deployment; share it between hosts to restore anywhere. */
  @Bean
  ArchiveStore archiveStore(
      @Value(
              "${sandbar.archive-dir:${SANDBAR_ARCHIVE_DIR:${sandbar.data-dir:${SANDBAR_DATA_DIR:${user.home}/.sandbar}}/archives}}")
          String directory) {
    return new FileSystemArchiveStore(Path.of(directory));
  }

  /**
   * Every activity the worker runs; the database ones only once the schema is migrated.
   *
   * <p>Placement counts requests; the request fractions stand in for the requests of sandboxes
   * whose spec has none (created before requests existed); the API fills them in new specs from the
   * same variables. Docker objects are labelled with this deployment's installation id, which the
   * first worker to start generates and stores; every later start, of any worker, reads the same.
   */
  @Bean
  WorkerActivities workerActivities(
      Jdbi jdbi,
      SchemaMigration migrated,
      DockerClient docker,
      WorkerProperties properties,
      ArchiveStore archives,
      CommandWaitDocker commandWaitDocker,
      @Value("${sandbar.archive.max-bytes:10737418240}") long maxArchiveBytes,
      @Value(
              "${sandbar.placement.cpu-request-fraction:${SANDBAR_PLACEMENT_CPU_REQUEST_FRACTION:"
                  + Resources.DEFAULT_CPU_REQUEST_FRACTION
                  + "}}")
          double cpuRequestFraction,
      @Value(
              "${sandbar.placement.memory-request-fraction:"
                  + "${SANDBAR_PLACEMENT_MEMORY_REQUEST_FRACTION:"
                  + Resources.DEFAULT_MEMORY_REQUEST_FRACTION
                  + "}}")
          double memoryRequestFraction,
      ObjectProvider<MeterRegistry> meters,
      ContainerSafety containerSafety,
      @Value(
              "${sandbar.exec.output-cap-bytes:${SANDBAR_TASK_OUTPUT_CAP_BYTES:"
                  + TaskOutputCap.DEFAULT_BYTES
                  + "}}")
          long taskOutputCapBytes,
      @Value(
              "${sandbar.worker.network-idle-seconds:${SANDBAR_HOST_NETWORK_IDLE_SECONDS:"
                  + TenantNetworks.DEFAULT_IDLE_SECONDS
                  + "}}")
          long networkIdleSeconds) {
    String installationId =
        jdbi.onDemand(InstallationDao.class).ensure(UUID.randomUUID().toString());
    log.info("host {} belongs to installation {}", properties.hostId(), installationId);
    DockerHostActivities host =
        new DockerHostActivities(docker, properties.hostId(), installationId, containerSafety)
            .keepIdleNetworksFor(Duration.ofSeconds(networkIdleSeconds));
    return new WorkerActivities(
        new JdbiStoreActivities(jdbi, cpuRequestFraction, memoryRequestFraction),
        new JdbiTaskStoreActivities(jdbi),
        new JdbiArchiveStoreActivities(jdbi),
        host,
        new DockerCommandActivities(docker, new TaskOutputCap(taskOutputCapBytes)),
        new DockerArchiveActivities(docker, archives, maxArchiveBytes),
        new JdbiReconcileStoreActivities(jdbi),
        new DockerInventoryActivities(new DockerInventory(docker, host), host),
        new DockerMetricsActivities(docker),
        new ReconcileMetrics(meters.getIfAvailable()),
        new JdbiHealthStoreActivities(jdbi),
        new DockerTaskFileActivities(docker),
        new DockerCommandActivities(
            commandWaitDocker.client(), new TaskOutputCap(taskOutputCapBytes)),
        new DockerTaskStreamActivities(commandWaitDocker.client()),
        new JdbiPoolStoreActivities(jdbi),
        new DockerPoolActivities(host));
  }

  /**
   * The host's files endpoint ({@link WorkerFileServer}) when {@code SANDBAR_WORKER_FILES_PORT} is
   * set, else none. Its files move up to {@code SANDBAR_FILE_MAX_BYTES}, as the API's do.
   */
  @Bean(destroyMethod = "close")
  WorkerFileServer workerFileServer(
      DockerClient docker,
      WorkerProperties properties,
      @Value("${sandbar.worker.files-port:${SANDBAR_WORKER_FILES_PORT:}}") String port,
      @Value("${sandbar.worker.files-bind-address:${SANDBAR_WORKER_FILES_BIND_ADDRESS:}}")
          String bindAddress,
      @Value("${sandbar.worker.url:${SANDBAR_WORKER_URL:}}") String advertisedUrl,
      @Value("${sandbar.worker.token:${SANDBAR_WORKER_TOKEN:}}") String token,
      @Value("${sandbar.files.max-bytes:${SANDBAR_FILE_MAX_BYTES:1073741824}}") long maxBytes) {
    if (port.isBlank()) {
      return WorkerFileServer.none();
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("SANDBAR_FILE_MAX_BYTES must be at least 1");
    }
    return WorkerFileServer.start(
        new DockerSandboxFiles(docker, properties.hostId(), maxBytes),
        bindAddress,
        Integer.parseInt(port.strip()),
        advertisedUrl,
        token);
  }

  /**
   * What every container gets (see {@link ContainerSafety}), checked before the worker polls: a
   * missing or dynamically linked helper stops the start with a message saying how to fix it. The
   * helper's path is on the Docker daemon's machine; the check reads it here, so a worker in a
   * container mounts the same file at the same path (as {@code docker-compose.yml} does).
   */
  @Bean
  ContainerSafety containerSafety(
      DockerClient docker,
      @Value("${sandbar.worker.helper-busybox:${SANDBAR_HELPER_BUSYBOX:/bin/busybox}}")
          String helperPath,
      @Value("${sandbar.worker.writable-layer-bytes:${SANDBAR_WRITABLE_LAYER_BYTES:0}}")
          long writableLayerBytes) {
    TrustedHelper helper = TrustedHelper.checked(Path.of(helperPath));
    WritableLayerLimit layer = WritableLayerLimit.probe(docker);
    log.info("trusted helper {}; writable layer limit {}", helperPath, layer.description());
    long applied = 0;
    if (writableLayerBytes > 0) {
      if (layer.supported()) {
        applied = writableLayerBytes;
      } else {
        log.warn(
            "SANDBAR_WRITABLE_LAYER_BYTES={} is not applied: {}",
            writableLayerBytes,
            layer.description());
      }
    }
    String report =
        !layer.supported()
            ? layer.description()
            : applied > 0
                ? layer.description() + ", " + applied + " bytes per container"
                : layer.description() + ", no limit set (SANDBAR_WRITABLE_LAYER_BYTES)";
    return new ContainerSafety(helper, applied, report);
  }

  @Bean
  HostWorker hostWorker(
      WorkflowClient client,
      ContainerSafety containerSafety,
      WorkerProperties properties,
      WorkerActivities activities,
      WorkerFileServer fileServer,
      DockerClient docker,
      @Value("${sandbar.exec.retention-seconds:86400}") long taskRetentionSeconds,
      Jdbi jdbi,
      ArchiveStore archives,
      @Value("${sandbar.reconcile.enabled:${SANDBAR_RECONCILE_ENABLED:true}}")
          boolean reconcileEnabled,
      @Value("${sandbar.reconcile.pass-seconds:${SANDBAR_RECONCILE_PASS_SECONDS:15}}")
          long reconcilePassSeconds,
      @Value(
              "${sandbar.reconcile.unclaimed-safety-seconds:${SANDBAR_RECONCILE_UNCLAIMED_SAFETY_SECONDS:600}}")
          long unclaimedSafetySeconds,
      @Value("${sandbar.worker.max-command-waits:${SANDBAR_HOST_MAX_COMMAND_WAITS:1000}}")
          int maxCommandWaits,
      @Value(
              "${sandbar.archive.quarantine-retention-seconds:"
                  + "${SANDBAR_ARCHIVE_QUARANTINE_RETENTION_SECONDS:604800}}")
          long quarantineRetentionSeconds,
      @Value("${sandbar.pool.size:${SANDBAR_POOL_SIZE:${sandbar.pool.default-size:0}}}")
          int poolSize,
      @Value(
              "${sandbar.pool.image:${SANDBAR_POOL_IMAGE:${sandbar.default-image:sandbar-base:latest}}}")
          String poolImage,
      @Value("${sandbar.pool.check-seconds:${SANDBAR_POOL_CHECK_SECONDS:30}}")
          long poolCheckSeconds,
      WorkerTuning tuning) {
    if (poolSize < 0) {
      throw new IllegalArgumentException("SANDBAR_POOL_SIZE must not be negative, got " + poolSize);
    }
    if (quarantineRetentionSeconds < 0) {
      throw new IllegalArgumentException(
          "SANDBAR_ARCHIVE_QUARANTINE_RETENTION_SECONDS must not be negative, got "
              + quarantineRetentionSeconds);
    }
    return new HostWorker(
        client,
        properties,
        activities,
        () ->
            jdbi.onDemand(HostRegistryDao.class)
                .advertiseFiles(properties.hostId(), fileServer.url()),
        maxCommandWaits,
        new DockerHostProbe(docker, containerSafety.writableLayerLimit()),
        taskRetentionSeconds,
        reconcileEnabled
            ? new ReconcileSettings(reconcilePassSeconds, unclaimedSafetySeconds)
            : null,
        new StartupRecovery(
            client,
            jdbi,
            new DockerInventory(docker, activities.docker()),
            properties.hostId(),
            archives,
            activities.archiveStore(),
            Duration.ofSeconds(quarantineRetentionSeconds)),
        new PoolSettings(properties.hostId(), poolImage, poolSize, poolCheckSeconds),
        tuning);
  }

  /** Pollers, slots and cache of the worker's Temporal workers; 0 keeps the SDK's default. */
  @Bean
  @ConditionalOnMissingBean
  WorkerTuning workerTuning(
      @Value("${sandbar.worker.workflow-pollers:${SANDBAR_WORKER_WORKFLOW_POLLERS:0}}")
          int workflowPollers,
      @Value("${sandbar.worker.activity-pollers:${SANDBAR_WORKER_ACTIVITY_POLLERS:0}}")
          int activityPollers,
      @Value("${sandbar.worker.workflow-task-slots:${SANDBAR_WORKER_WORKFLOW_TASK_SLOTS:0}}")
          int workflowTaskSlots,
      @Value("${sandbar.worker.activity-slots:${SANDBAR_WORKER_ACTIVITY_SLOTS:0}}")
          int activitySlots,
      @Value("${sandbar.worker.workflow-cache:${SANDBAR_WORKER_WORKFLOW_CACHE:0}}")
          int workflowCacheSize,
      @Value("${sandbar.worker.virtual-threads:${SANDBAR_WORKER_VIRTUAL_THREADS:false}}")
          boolean virtualThreads) {
    return new WorkerTuning(
        workflowPollers,
        activityPollers,
        workflowTaskSlots,
        activitySlots,
        workflowCacheSize,
        virtualThreads);
  }

  /** Marker bean: the schema is migrated. Beans that query the database depend on it. */
  public static final class SchemaMigration {}
}
