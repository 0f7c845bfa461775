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
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-tenant Docker bridge networks of one host: created when a sandbox needs one, removed once
 * no container of any state has referred to it for {@link #idleGrace} (by the host's reconciliation
 * pass, see {@link #removeUnused}). A tenant that destroys its last sandbox and creates the next
 * one soon after (agents do this all day) finds its network there: creating a network and bringing
 * up the first endpoint on it is the slowest part of a create. {@code isolated} turns
 * inter-container traffic off ({@code enable_icc=false}), so the tenant's sandboxes reach neither
 * each other nor anyone else's; {@code shared} leaves it on, so they reach each other but still no
 * other tenant's (Docker isolates user-defined bridges from one another). Both keep the way out to
 * the internet.
 *
 * <p>Attaching a container to a network holds that network's read lock, and creating or removing
 * the network its write lock, so a removal can never slip between making sure the network exists
 * and creating the container on it, while the creates of one tenant's sandboxes run side by side.
 * One worker drives one host's daemon, so a lock in this process is enough.
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

  /**
   * How long (seconds) a worker keeps a network with no container unless configured otherwise
   * ({@code SANDBAR_HOST_NETWORK_IDLE_SECONDS}): long enough for the next sandbox of a tenant that
   * works in bursts, short enough that idle tenants give their subnets back (each network holds one
   * of the daemon's {@code default-address-pools} ranges).
   */
  public static final long DEFAULT_IDLE_SECONDS = 600;

  private static final Logger log = LoggerFactory.getLogger(TenantNetworks.class);

  private final DockerClient docker;
  private final String hostId;
  private final String installationId;
  private final Map<String, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

  /** When each network was first found without a container (this process's clock). */
  private final Map<String, Long> idleSinceNanos = new ConcurrentHashMap<>();

  /**
   * Zero until the worker sets it: anything else that drives a host (a test, a tool) leaves no
   * network behind, since nothing of its own would sweep a kept one later.
   */
  private volatile Duration idleGrace = Duration.ZERO;

  TenantNetworks(DockerClient docker, String hostId, String installationId) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.installationId = Objects.requireNonNull(installationId, "installationId");
  }

  /** Whether a network goes with its last sandbox (an idle grace of zero). */
  boolean removedWithLastSandbox() {
    return idleGrace.isZero();
  }

  /** Keeps a network without containers for {@code grace} before {@link #removeUnused} does. */
  void idleGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the idle grace of networks cannot be negative");
    }
    this.idleGrace = grace;
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
    return withEnsured(networkName(tenantId, mode), tenantId, mode, attach);
  }

  /**
   * Runs {@code attach} under the network's read lock, after creating the network (under its write
   * lock) if it is absent. Many attaches share the read lock; a removal waits for all of them.
   */
  private <T> T withEnsured(String name, String tenantId, String mode, Function<String, T> attach) {
    ReentrantReadWriteLock lock = lockOf(name);
    lock.readLock().lock();
    try {
      if (!exists(name)) {
        lock.readLock().unlock();
        lock.writeLock().lock();
        try {
          ensure(name, tenantId, mode);
        } finally {
          // Downgrade: the read lock is taken before the write lock goes, so no removal slips in.
          lock.readLock().lock();
          lock.writeLock().unlock();
        }
      }
      idleSinceNanos.remove(name);
      return attach.apply(name);
    } finally {
      lock.readLock().unlock();
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
   * Removes every network of this host and installation that no container (running or not) has
   * referred to for the idle grace: the first call that finds a network unused starts its clock, a
   * later one removes it. With a grace of zero the first call removes it. Idempotent; a network a
   * concurrent create holds is kept (the create holds its read lock, and Docker refuses to remove
   * one with endpoints anyway). The host's reconciliation pass calls this.
   */
  void removeUnused() {
    sweep(idleGrace, null);
  }

  /** Removes every network no container refers to now, idle for however short a time. */
  void removeUnusedNow() {
    sweep(Duration.ZERO, null);
  }

  /**
   * Removes the networks unused for {@code grace}, except {@code held}: the network whose write
   * lock the caller holds (null: none). Such a caller only tries the others' locks, so two of them
   * never wait for each other; a network in use is passed over without its lock, so a sweep holds
   * up no create on a network that has sandboxes.
   */
  private void sweep(Duration grace, String held) {
    List<Network> networks =
        docker
            .listNetworksCmd()
            .withFilter("label", ContainerLabels.managedByTerms(installationId, hostId))
            .exec();
    long now = System.nanoTime();
    for (Network network : networks) {
      String name = network.getName();
      if (name.equals(held)) {
        continue;
      }
      if (used(name)) {
        idleSinceNanos.remove(name);
        continue;
      }
      long since = idleSinceNanos.computeIfAbsent(name, n -> now);
      if (now - since < grace.toNanos()) {
        continue;
      }
      ReentrantReadWriteLock lock = lockOf(name);
      if (held == null) {
        lock.writeLock().lock();
      } else if (!lock.writeLock().tryLock()) {
        continue;
      }
      try {
        // Looked at again under the lock: a create may have joined it since.
        if (!used(name)) {
          docker.removeNetworkCmd(name).exec();
          log.info("removed unused network {} on host {}", name, hostId);
        }
        idleSinceNanos.remove(name);
      } catch (NotFoundException e) {
        // Removed concurrently: the goal holds.
        idleSinceNanos.remove(name);
      } catch (DockerException e) {
        // In use after all (an endpoint Docker knows of): it stays until the next removal.
        log.info("network {} on host {} stays: {}", name, hostId, DockerFailures.dockerMessage(e));
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private boolean used(String name) {
    return !docker
        .listContainersCmd()
        .withShowAll(true)
        .withNetworkFilter(List.of(name))
        .exec()
        .isEmpty();
  }

  private boolean exists(String name) {
    try {
      docker.inspectNetworkCmd().withNetworkId(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Creates the network unless it exists; the caller holds its write lock. */
  private void ensure(String name, String tenantId, String mode) {
    if (exists(name)) {
      return;
    }
    try {
      create(name, tenantId, mode);
    } catch (DockerException e) {
      if (!DockerFailures.dockerMessage(e).contains("address pool")) {
        throw e;
      }
      // Networks kept for idle tenants hold subnets a tenant with a sandbox to start needs now.
      log.info("address pools of host {} are full, removing every unused network", hostId);
      sweep(Duration.ZERO, name);
      try {
        create(name, tenantId, mode);
      } catch (DockerException again) {
        if (!DockerFailures.dockerMessage(again).contains("address pool")) {
          throw again;
        }
        // Retrying cannot help until networks are freed; say which setting bounds them.
        throw DockerFailures.configRejected(
            "Docker on host "
                + hostId
                + " has no address range left for another tenant network (see the daemon's"
                + " default-address-pools)",
            again);
      }
    }
  }

  private void create(String name, String tenantId, String mode) {
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
    }
  }

  private ReentrantReadWriteLock lockOf(String name) {
    return locks.computeIfAbsent(name, n -> new ReentrantReadWriteLock());
  }
}
