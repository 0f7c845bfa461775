package dev.sandbar.standalone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code bin/sandbar} tells the person at the terminal: progress lines during set-up and
 * recovery, and the banner once ready. Everything else goes to the log file (see {@code
 * sandbar-standalone-logback.xml}); these lines go there too.
 */
final class Console {

  private static final Logger console = LoggerFactory.getLogger("dev.sandbar.console");

  private Console() {}

  static void progress(String format, Object... arguments) {
    console.info("[sandbar] " + format, arguments);
  }

  static void banner(String text) {
    console.info(text);
  }
}
