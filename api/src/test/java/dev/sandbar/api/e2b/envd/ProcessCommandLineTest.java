package dev.sandbar.api.e2b.envd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandLineTest {

  @Test
  void unwrapsTheShellTheSdkSendsToItsScript() {
    assertThat(ProcessCommandLine.of("/bin/bash", List.of("-l", "-c", "echo $HOME; ls | wc")))
        .isEqualTo("echo $HOME; ls | wc");
    assertThat(ProcessCommandLine.of("sh", List.of("-c", "true"))).isEqualTo("true");
  }

  @Test
  void quotesAnyOtherProgramAndItsArguments() {
    assertThat(ProcessCommandLine.of("echo", List.of("it's", "a b", "plain-1.txt")))
        .isEqualTo("echo 'it'\\''s' 'a b' plain-1.txt");
    // Not only flags before -c: the arguments are not a script to unwrap.
    assertThat(ProcessCommandLine.of("bash", List.of("script.sh", "-c", "x")))
        .isEqualTo("bash script.sh -c x");
    assertThat(ProcessCommandLine.of("/usr/bin/env", List.of())).isEqualTo("/usr/bin/env");
  }

  @Test
  void refusesAnEmptyCommand() {
    assertThatThrownBy(() -> ProcessCommandLine.of(" ", List.of()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("process.cmd");
  }
}
