/**
 * Docker activities: the one package that imports docker-java, so a change of Docker client or of
 * container runtime stays behind {@link dev.sandbar.workflows.activity.HostActivities}.
 *
 * <p>One class per job. The activities: {@link
 * dev.sandbar.activities.container.DockerHostActivities} (container lifecycle; creation in {@code
 * ContainerCreator}, the spec's container config in {@link
 * dev.sandbar.activities.container.SandboxContainerConfig}), {@link
 * dev.sandbar.activities.container.DockerCommandActivities} (commands; the wait in {@code
 * CommandWait}, stall detection in {@code StallWatch}, outcomes in {@code OutcomeCollector}) and
 * {@link dev.sandbar.activities.container.DockerArchiveActivities} (export and restore; Docker's
 * side in {@code ArchiveTransfer}). Shared by them: the label names ({@link
 * dev.sandbar.activities.container.ContainerLabels}), what a Docker failure means ({@code
 * DockerFailures}), exec plumbing ({@code DockerExec}) and the shell scripts run in a sandbox
 * ({@code ContainerScripts}, loaded from the {@code .sh} resources of this package). What exists on
 * a host is read by {@link dev.sandbar.activities.container.DockerInventory}.
 */
package dev.sandbar.activities.container;
