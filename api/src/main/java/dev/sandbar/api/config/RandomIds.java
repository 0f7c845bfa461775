package dev.sandbar.api.config;

import java.security.SecureRandom;

/** Identifiers and secrets that must not be guessable. */
public final class RandomIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private RandomIds() {}

  /** {@code prefix} followed by {@code length} random lower-case letters and digits. */
  public static String lowerAlphanumeric(String prefix, int length) {
    StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
    for (int i = 0; i < length; i++) {
      id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }

  public static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
