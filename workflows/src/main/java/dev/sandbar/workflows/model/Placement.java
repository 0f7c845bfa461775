package dev.sandbar.workflows.model;

import java.util.List;

/**
 * A request for a host with room for a sandbox.
 *
 * @param image the image the host must already have (images are never pulled); null for any host
 */
public record Placement(
    String sandboxId, Resources resources, List<String> hostLabels, String image) {}
