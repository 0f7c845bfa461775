/**
 * Docker activities: the one package that imports docker-java, so a change of Docker client or of
 * container runtime stays behind {@link dev.sandbar.workflows.activity.HostActivities}.
 */
package dev.sandbar.activities.container;
