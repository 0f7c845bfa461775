package dev.sandbar.api.e2b.control;

import org.jspecify.annotations.Nullable;

/**
 * Body of E2B's set-timeout and connect: seconds from now until the sandbox is killed. E2B also
 * lets connect send {@code memory} (false: reboot instead of resume), which Sandbar refuses.
 */
record E2bTimeout(@Nullable Long timeout, @Nullable Boolean memory) {}
