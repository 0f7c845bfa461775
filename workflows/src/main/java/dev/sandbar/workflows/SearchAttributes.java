package dev.sandbar.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** Custom search attributes, so operators can filter sandboxes in the Temporal UI. */
public final class SearchAttributes {
  public static final SearchAttributeKey<String> STATE =
      SearchAttributeKey.forKeyword("SandboxState");
  public static final SearchAttributeKey<String> HOST =
      SearchAttributeKey.forKeyword("SandboxHost");
  public static final SearchAttributeKey<String> TENANT =
      SearchAttributeKey.forKeyword("SandboxTenant");

  /** All keys a worker registers with the namespace at start-up (all of type keyword). */
  public static final List<SearchAttributeKey<String>> ALL = List.of(STATE, HOST, TENANT);

  private SearchAttributes() {}
}
