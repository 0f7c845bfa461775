package dev.sandbar.api.sandbox;

import java.util.regex.Pattern;

/** Docker image reference syntax ({@code [registry[:port]/]name[:tag][@digest]}). */
public final class ImageReference {

  private static final int MAX_LENGTH = 255;
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN =
      DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?:"
              + DOMAIN
              + "/)?"
              + PATH_COMPONENT
              + "(?:/"
              + PATH_COMPONENT
              + ")*(?::"
              + TAG
              + ")?(?:@"
              + DIGEST
              + ")?");

  private ImageReference() {}

  static boolean isValid(String reference) {
    return reference.length() <= MAX_LENGTH && REFERENCE.matcher(reference).matches();
  }

  /**
   * Adds {@code :latest} to a reference without tag or digest, the form in which Docker (and so the
   * workers' image lists) names it.
   */
  public static String withDefaultTag(String reference) {
    if (reference.contains("@")) {
      return reference;
    }
    String lastComponent = reference.substring(reference.lastIndexOf('/') + 1);
    return lastComponent.contains(":") ? reference : reference + ":latest";
  }
}
