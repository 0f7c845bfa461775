package dev.sandbar.api.e2b.control;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A page of E2B's list: its items and the token of the next page (E2B's {@code x-next-token}). */
record E2bSandboxPage(List<E2bSandboxDetail> items, @Nullable String nextToken) {}
