package dev.sandbar.activities.container;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the container scripts print: a first line of space-separated fields, followed by raw bytes
 * (file contents) that must not be decoded as text. Anything else is a transient failure: the
 * script ran in a container that is not what Sandbar set up.
 */
record ScriptOutput(String[] fields, int bodyStart) {

  static ScriptOutput parse(byte[] bytes, int expectedFields) {
    int newline = -1;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw DockerFailures.transientFailure(
          "unexpected script output: " + new String(bytes, StandardCharsets.UTF_8), null);
    }
    String line = new String(bytes, 0, newline, StandardCharsets.US_ASCII).trim();
    String[] fields = line.split(" +");
    if (fields.length != expectedFields) {
      throw DockerFailures.transientFailure("unexpected script output: " + line, null);
    }
    return new ScriptOutput(fields, newline + 1);
  }

  String field(int i) {
    return fields[i];
  }

  /** A field that is a number. */
  long number(int i) {
    try {
      return Long.parseLong(fields[i]);
    } catch (NumberFormatException e) {
      throw DockerFailures.transientFailure(
          "unexpected script output: " + String.join(" ", fields), e);
    }
  }

  /** A field that is {@code 1} for true. */
  boolean flag(int i) {
    return fields[i].equals("1");
  }

  /** The bytes after the first line. */
  byte[] rest(byte[] bytes) {
    return Arrays.copyOfRange(bytes, bodyStart, bytes.length);
  }
}
