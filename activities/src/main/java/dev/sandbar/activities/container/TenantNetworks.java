package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-tenant Docker bridge networks of one host: created when a sandbox needs one, removed when
 * no container of any state refers to it any more. {@code isolated} turns inter-container traffic
 * off ({@code enable_icc=false}), so the tenant's sandboxes reach neither each other nor anyone
 * else's; {@code shared} leaves it on, so they reach each other but still no other tenant's (Docker
 * isolates user-defined bridges from one another). Both keep the way out to the internet.
 *
 * <p>Creating a network and attaching a container to it, and finding a network unused and removing
 * it, each happen under one lock per network, so a removal can never slip between the two halves of
 * a create. One worker drives one host's daemon, so a lock in this process is enough.
 */
public final class TenantNetworks {

  /** Network mode: a network of the tenant's own with inter-container traffic off. */
  public static final String ISOLATED = "isolated";

  /** Network mode: a network of the tenant's own whose sandboxes reach each other. */
  public static final String SHARED = "shared";

  /** Network mode label of unclaimed pool containers (and of the pool network they once used). */
  static final String POOL = "pool";

  /** Docker's bridge option that, off, drops traffic between containers of one network. */
  static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";

  private static final Logger log = LoggerFactory.getLogger(TenantNetworks.class);

  private final DockerClient docker;
  private final String hostId;
  private final String installationId;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  TenantNetworks(DockerClient docker, String hostId, String installationId) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.installationId = Objects.requireNonNull(installationId, "installationId");
  }

  /** Whether {@code mode} is one of the tenant network modes this class manages. */
  public static boolean isTenantMode(String mode) {
    return ISOLATED.equals(mode) || SHARED.equals(mode);
  }

  /**
   * The Docker network name of a tenant's network on this host: a digest of installation, host and
   * tenant, so two installations or two hosts sharing a daemon never share a network, and any
   * tenant id makes a valid name. Its labels say whose it is.
   */
  String networkName(String tenantId, String mode) {
    String key = installationId + "\n" + hostId + "\n" + (tenantId == null ? "" : tenantId);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sandbar-" + mode + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Runs {@code attach} with the Docker network mode a sandbox of {@code mode} joins: for a tenant
   * mode its network, created first if absent and kept while {@code attach} runs (which creates the
   * container that holds it from then on); any other mode ({@code none}, {@code bridge}) as it is.
   */
  <T> T withNetwork(String mode, String tenantId, Function<String, T> attach) {
    if (!isTenantMode(mode)) {
      return attach.apply(mode);
    }
    String name = networkName(tenantId, mode);
    ReentrantLock lock = lockOf(name);
    lock.lock();
    try {
      ensure(name, tenantId, mode);
      return attach.apply(name);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@code networkName} is the pool network that unclaimed warm-pool containers waited on
   * before they waited on none (a container made then leaves it when claimed).
   */
  static boolean isPoolNetwork(String networkName) {
    return networkName != null && networkName.startsWith("sandbar-" + POOL + "-");
  }

  /**
   * Re-creates the network a container was created on if it is gone (removed by hand, or a daemon
   * that lost it), so a stopped sandbox always starts again; Docker finds it again by name.
   */
  void ensureForContainer(Map<String, String> containerLabels) {
    String mode = containerLabels.get(ContainerLabels.NETWORK_MODE);
    if (!isTenantMode(mode)) {
      return;
    }
    withNetwork(mode, containerLabels.get(ContainerLabels.TENANT_ID), name -> null);
  }

  /**
   * Whether a stopped container of a tenant mode refers to a network that no longer exists under
   * its name (removed by hand, or removed and re-created): Docker would refuse to start it.
   */
  boolean lostItsNetwork(InspectContainerResponse container) {
    Map<String, String> labels =
        Objects.requireNonNullElse(container.getConfig().getLabels(), Map.of());
    if (!isTenantMode(labels.get(ContainerLabels.NETWORK_MODE))
        || Boolean.TRUE.equals(container.getState().getRunning())) {
      return false;
    }
    String name = container.getHostConfig().getNetworkMode();
    ContainerNetwork endpoint =
        container.getNetworkSettings() == null
                || container.getNetworkSettings().getNetworks() == null
            ? null
            : container.getNetworkSettings().getNetworks().get(name);
    try {
      String id = docker.inspectNetworkCmd().withNetworkId(name).exec().getId();
      return endpoint != null
          && endpoint.getNetworkID() != null
          && !endpoint.getNetworkID().equals(id);
    } catch (NotFoundException e) {
      return true;
    }
  }

  /**
   * Removes every network of this host and installation that no container (running or not) refers
   * to. Idempotent; a network a concurrent create just took is kept (the create holds its lock, and
   * Docker refuses to remove one with endpoints anyway).
   */
  void removeUnused() {
    List<Network> networks =
        docker
            .listNetworksCmd()
            .withFilter("label", ContainerLabels.managedByTerms(installationId, hostId))
            .exec();
    for (Network network : networks) {
      String name = network.getName();
      ReentrantLock lock = lockOf(name);
      lock.lock();
      try {
        boolean used =
            !docker
                .listContainersCmd()
                .withShowAll(true)
                .withNetworkFilter(List.of(name))
                .exec()
                .isEmpty();
        if (!used) {
          docker.removeNetworkCmd(name).exec();
          log.info("removed unused network {} on host {}", name, hostId);
        }
      } catch (NotFoundException e) {
        // Removed concurrently: the goal holds.
      } catch (DockerException e) {
        // In use after all (an endpoint Docker knows of): it stays until the next removal.
        log.info("network {} on host {} stays: {}", name, hostId, DockerFailures.dockerMessage(e));
      } finally {
        lock.unlock();
      }
    }
  }

  private void ensure(String name, String tenantId, String mode) {
    try {
      docker.inspectNetworkCmd().withNetworkId(name).exec();
      return;
    } catch (NotFoundException e) {
      // Create it below.
    }
    Map<String, String> labels = new TreeMap<>();
    labels.put(ContainerLabels.MANAGED, "true");
    labels.put(ContainerLabels.INSTALLATION, installationId);
    labels.put(ContainerLabels.HOST_ID, hostId);
    labels.put(ContainerLabels.TENANT_ID, tenantId == null ? "" : tenantId);
    labels.put(ContainerLabels.NETWORK_MODE, mode);
    try {
      docker
          .createNetworkCmd()
          .withName(name)
          .withDriver("bridge")
          .withCheckDuplicate(true)
          .withLabels(labels)
          .withOptions(Map.of(ICC_OPTION, String.valueOf(SHARED.equals(mode))))
          .exec();
      log.info("created {} network {} for tenant {} on host {}", mode, name, tenantId, hostId);
    } catch (ConflictException e) {
      // Created by another worker process on the same daemon and host id: it is there.
    } catch (DockerException e) {
      if (DockerFailures.dockerMessage(e).contains("address pool")) {
        // Retrying cannot help until networks are freed; say which setting bounds them.
        throw DockerFailures.configRejected(
            "Docker on host "
                + hostId
                + " has no address range left for another tenant network (see the daemon's"
                + " default-address-pools)",
            e);
      }
      throw e;
    }
  }

  private ReentrantLock lockOf(String name) {
    return locks.computeIfAbsent(name, n -> new ReentrantLock());
  }
}
