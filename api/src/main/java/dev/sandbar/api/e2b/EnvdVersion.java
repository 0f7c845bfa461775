package dev.sandbar.api.e2b;

/**
 * The envd version Sandbar reports to E2B's SDK (in create, connect and get answers). The SDK turns
 * features on by comparing it: 0.4.0 and later let a call name no user, 0.5.2 enables {@code
 * closeStdin}, 0.5.7 uploads files as {@code application/octet-stream}; 0.6.2 (file metadata) and
 * later features stay off, so the SDK refuses them itself instead of calling an endpoint Sandbar
 * does not have.
 */
public final class EnvdVersion {

  /** e2b 2.51.0's feature gates read this value. */
  public static final String REPORTED = "0.5.7";

  private EnvdVersion() {}
}
