package dev.sandbar.api.openapi;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The operation ids of the document, which generated clients turn into method names: {@code
 * getSandbox} rather than the {@code get_1} springdoc derives from handler names that repeat across
 * controllers. A handler not listed keeps springdoc's id.
 */
final class OperationNames {

  private static final Map<String, String> IDS =
      Map.ofEntries(
          Map.entry("SandboxController#create", "createSandbox"),
          Map.entry("SandboxController#list", "listSandboxes"),
          Map.entry("SandboxController#get", "getSandbox"),
          Map.entry("SandboxController#start", "startSandbox"),
          Map.entry("SandboxController#stop", "stopSandbox"),
          Map.entry("SandboxController#pause", "pauseSandbox"),
          Map.entry("SandboxController#resume", "resumeSandbox"),
          Map.entry("SandboxController#restart", "restartSandbox"),
          Map.entry("SandboxController#touch", "touchSandbox"),
          Map.entry("SandboxController#destroy", "destroySandbox"),
          Map.entry("SandboxController#events", "listSandboxEvents"),
          Map.entry("SnapshotController#snapshot", "archiveSandbox"),
          Map.entry("SandboxMetricsController#metrics", "getSandboxMetrics"),
          Map.entry("ExecController#run", "runCommand"),
          Map.entry("ExecController#list", "listTasks"),
          Map.entry("ExecController#get", "getTask"),
          Map.entry("ExecController#output", "readTaskOutput"),
          Map.entry("ExecController#kill", "killTask"),
          Map.entry("NotificationController#drain", "drainNotifications"),
          Map.entry("ArchiveController#list", "listArchives"),
          Map.entry("ArchiveController#get", "getArchive"),
          Map.entry("ArchiveController#delete", "deleteArchive"),
          Map.entry("HostController#list", "listHosts"),
          Map.entry("HostController#get", "getHost"),
          Map.entry("HostController#drain", "drainHost"),
          Map.entry("HostController#undrain", "undrainHost"),
          Map.entry("HostController#events", "listHostEvents"),
          Map.entry("AdminController#createTenant", "createTenant"),
          Map.entry("AdminController#issueKey", "issueApiKey"),
          Map.entry("AdminController#revokeKey", "revokeApiKey"),
          Map.entry("QuotaController#get", "getTenantQuotas"),
          Map.entry("QuotaController#put", "replaceTenantQuotas"),
          Map.entry("QuotaController#own", "getOwnQuotas"),
          Map.entry("OperationController#stuck", "listStuckOperations"),
          Map.entry("HealthController#health", "getHealth"));

  private OperationNames() {}

  /** Every id named here; the conformance test calls each of these operations. */
  static Collection<String> ids() {
    return IDS.values();
  }

  static Optional<String> of(String controller, String method) {
    return Optional.ofNullable(IDS.get(controller + "#" + method));
  }
}
