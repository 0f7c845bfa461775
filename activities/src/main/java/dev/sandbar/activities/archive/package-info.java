/**
 * Data archives: where they are stored and the checks a tar must pass before it is extracted into a
 * sandbox. Knows nothing of Docker, so the same checks guard any container runtime and the same
 * store interface can sit over object storage.
 */
package dev.sandbar.activities.archive;
