package dev.sandbar.workflows.model;

import java.util.List;

/**
 * A container health check in the manner of Docker's {@code HEALTHCHECK}: Docker runs {@code test}
 * in the container every interval; {@code retries} failures in a row make it unhealthy. It replaces
 * any health check the image defines.
 *
 * @param test Docker's form: {@code ["CMD-SHELL", "<shell command>"]}, {@code ["CMD", "<exe>",
 *     "<arg>"...]}, or {@code ["NONE"]} to switch off the image's own check
 * @param startPeriodSeconds grace after start during which failures do not count
 */
public record Healthcheck(
    List<String> test,
    long intervalSeconds,
    long timeoutSeconds,
    int retries,
    long startPeriodSeconds) {}
