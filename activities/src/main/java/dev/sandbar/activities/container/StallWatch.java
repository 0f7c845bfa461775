package dev.sandbar.activities.container;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides when a running command is stalled on input: its log has not grown for the stall time, and
 * either a process of its group is blocked reading its stdin or the log's tail looks like a prompt.
 * Only a wait that still may report a stall has one; the log's growth is tracked across attempts
 * through {@link WaitProgress}.
 */
final class StallWatch {

  /** How much of the log's end is matched against prompt patterns. */
  static final int PROMPT_TAIL_BYTES = 200;

  /** A bare shell prompt waiting after its trailing space ({@code $ }, {@code # }, {@code > }). */
  private static final Pattern SHELL_PROMPT = Pattern.compile("[$#>] \\z");

  /** Prompts matched against the log's last non-blank line, trailing whitespace removed. */
  private static final Pattern PROMPT_LINE =
      Pattern.compile(
          "(?:pass(?:word|phrase)|user ?name|login)\\b.*:\\z"
              + "|[\\[(]y(?:es)?/n(?:o)?\\b"
              + "|\\bpress\\b.*\\bto continue\\b"
              + "|\\bare you sure\\b"
              + "|\\b(?:continue|proceed)\\s*\\?"
              + "|^\\s*enter\\b.*:\\z",
          Pattern.CASE_INSENSITIVE);

  private final boolean enabled;
  private final long stallMillis;
  private long knownBytes;
  private long lastGrowthAt;

  /**
   * @param stallSeconds silence that counts as a stall; none when not positive
   * @param stallReported whether this command's stall was reported already (it is reported once)
   * @param previous what an earlier attempt heartbeated, if any
   * @param now the current wall-clock time
   */
  StallWatch(long stallSeconds, boolean stallReported, Optional<WaitProgress> previous, long now) {
    this.enabled = stallSeconds > 0 && !stallReported;
    this.stallMillis = saturatedMillis(stallSeconds);
    this.knownBytes = previous.map(WaitProgress::outputBytes).orElse(-1L);
    this.lastGrowthAt = previous.map(WaitProgress::lastGrowthAtMillis).orElse(now);
  }

  /**
   * Whether the next poll should look deep (at the log's tail and at who reads stdin): only once
   * the log has been silent for the stall time.
   */
  boolean wantsDeepLook(long now) {
    return enabled && knownBytes >= 0 && now - lastGrowthAt >= stallMillis;
  }

  /**
   * Takes in what a poll saw; true when it shows a stall.
   *
   * @param deep whether the poll looked deep ({@link #wantsDeepLook} before it)
   * @param polledAt when the poll started
   */
  boolean stalled(
      long outputBytes,
      boolean deep,
      boolean groupAlive,
      boolean readingStdin,
      byte[] tail,
      long polledAt) {
    if (outputBytes != knownBytes) {
      knownBytes = outputBytes;
      lastGrowthAt = polledAt;
      return false;
    }
    return deep && groupAlive && (readingStdin || looksLikePrompt(tail));
  }

  /** What to heartbeat so a later attempt continues from here. */
  WaitProgress progress() {
    return new WaitProgress(knownBytes, lastGrowthAt);
  }

  /**
   * Whether a log's tail looks like a program waiting at a prompt. Shell prompts count only with
   * their trailing space (the way shells print them), so output that merely ends in {@code >} or
   * {@code #} does not; everything else is matched on the last non-blank line.
   */
  static boolean looksLikePrompt(byte[] tail) {
    String text = Utf8Cut.decodeTail(tail, true);
    if (SHELL_PROMPT.matcher(text).find()) {
      return true;
    }
    String trimmed = text.stripTrailing();
    int lineStart = Math.max(trimmed.lastIndexOf('\n'), trimmed.lastIndexOf('\r')) + 1;
    String lastLine = trimmed.substring(lineStart);
    return !lastLine.isBlank() && PROMPT_LINE.matcher(lastLine).find();
  }

  private static long saturatedMillis(long seconds) {
    return seconds >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
  }
}
