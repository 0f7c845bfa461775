package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The prompt patterns of {@link StallWatch}: pure string matching, no Docker. */
class StallWatchTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Password: ",
        "Password:",
        "[sudo] password for agent: ",
        "building...\nEnter passphrase for key '/root/.ssh/id_ed25519': ",
        "Username for 'https://github.com': ",
        "Do you want to continue? [Y/n] ",
        "Overwrite file? [y/N]",
        "Are you sure you want to continue connecting (yes/no/[fingerprint])? ",
        "Press any key to continue",
        "Press ENTER to continue . . .",
        "This will delete everything. Are you sure",
        "Continue?",
        "Proceed? ",
        "Enter your name: ",
        "Enter value:\n",
        "root@sandbox:/work# ",
        "user@host:~$ ",
        ">>> ",
        "> "
      })
  void recognisesPrompts(String tail) {
    assertThat(StallWatch.looksLikePrompt(tail.getBytes(StandardCharsets.UTF_8))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "compiling module 3 of 12\n",
        "<html>",
        "total: 42 #",
        "price: 5$",
        "The password was rotated yesterday\n",
        "Are you sure? was the title of the talk\ndownloading 45%\n",
        "Entering directory '/src'\n",
        "a -> b\n"
      })
  void leavesOrdinaryOutputAlone(String tail) {
    assertThat(StallWatch.looksLikePrompt(tail.getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Password: ", "Do you want to continue? [Y/n] "})
  void recognisesPromptsAfterACutCharacter(String prompt) {
    byte[] text = ("✓✓✓ " + prompt).getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOfRange(text, 1, text.length);

    assertThat(StallWatch.looksLikePrompt(cut)).isTrue();
  }
}
