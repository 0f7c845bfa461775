package dev.sandbar.api.problem;

/**
 * One rejected field of a request.
 *
 * @param field the JSON path of the field, for example {@code resources.cpus} or {@code
 *     labels.Team}
 */
public record InvalidField(String field, String message) {}
