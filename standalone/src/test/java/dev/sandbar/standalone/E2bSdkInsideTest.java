package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * E2B's official SDK ({@link E2bSdk#VERSION}, unchanged) inside a sandbox: {@code commands} and
 * {@code files} go to Sandbar's {@code /e2b/sandbox}, and run on its exec workflow and files
 * service.
 */
class E2bSdkInsideTest extends EndToEndTest {

  @Test
  void theOfficialSdkRunsCommandsAndMovesFiles() {
    JsonNode out = E2bSdk.against(port, SandbarTestSupport.API_KEY).run("inside.mjs", Map.of());
    System.out.println("e2b sdk answered: " + out);

    JsonNode run = out.get("run");
    assertThat(run.get("stdout").asString()).isEqualTo("hello\n");
    assertThat(run.get("stderr").asString()).isEqualTo("oops\n");
    assertThat(run.get("exitCode").asInt()).isZero();

    JsonNode nonZero = out.get("nonZero");
    assertThat(nonZero.get("raised").asBoolean()).isTrue();
    assertThat(nonZero.get("isCommandExitError").asBoolean()).isTrue();
    assertThat(nonZero.get("exitCode").asInt()).isEqualTo(7);
    assertThat(nonZero.get("stdout").asString()).isEqualTo("partial\n");
    assertThat(nonZero.get("stderr").asString()).isEqualTo("bad\n");

    assertThat(out.get("env").asString()).isEqualTo("hi from /tmp\n");

    // onStdout got the first line while the command ran, the second once it had written it.
    JsonNode streamed = out.get("streamed");
    assertThat(streamed.get(0).get("data").asString()).isEqualTo("first\n");
    assertThat(streamed.get(0).get("commandWas").asString()).isEqualTo("running");
    assertThat(streamed.valueStream().map(s -> s.get("data").asString()))
        .containsExactly("first\n", "second\n");

    JsonNode background = out.get("background");
    assertThat(background.get("listed").asBoolean()).isTrue();
    assertThat(background.get("listedCmd").asString()).isEqualTo("/bin/bash");
    assertThat(background.get("stdout").asString()).isEqualTo("background done\n");
    assertThat(background.get("exitCode").asInt()).isZero();
    assertThat(background.get("reattachedStdout").asString()).isEqualTo("background done\n");

    assertThat(out.get("stdin").asString()).isEqualTo("piped through stdin\n");

    JsonNode kill = out.get("kill");
    assertThat(kill.get("killed").asBoolean()).isTrue();
    assertThat(kill.get("wait").get("error").get("className").asString())
        .isEqualTo("CommandExitError");
    assertThat(kill.get("killedAgain").asBoolean()).as("a second kill").isFalse();

    assertThat(out.get("write").get("path").asString()).isEqualTo("/data/sdk/hello.txt");
    assertThat(out.get("read").asString()).isEqualTo("hello from the sdk");
    assertThat(out.get("list").valueStream().map(e -> e.get("name").asString()))
        .containsExactly("hello.txt", "nested");
    JsonNode hello = out.get("list").get(0);
    assertThat(hello.get("type").asString()).isEqualTo("file");
    assertThat(hello.get("path").asString()).isEqualTo("/data/sdk/hello.txt");
    assertThat(hello.get("size").asLong()).isEqualTo(18);
    assertThat(out.get("list").get(1).get("type").asString()).isEqualTo("dir");
    assertThat(out.get("exists").asBoolean()).isTrue();
    assertThat(out.get("madeAgain").asBoolean()).as("makeDir of an existing directory").isFalse();
    assertThat(out.get("readMissing").get("error").get("className").asString())
        .isEqualTo("FileNotFoundError");
    assertThat(out.get("readEscape").get("error").get("className").asString())
        .isEqualTo("InvalidArgumentError");
    assertThat(out.get("pty").get("error").get("message").asString())
        .contains("process.Process/Start with a pty");

    assertThat(out.get("bigRoundTrip").asBoolean()).as("8 MiB written and read back").isTrue();
    System.out.println("e2b sdk inside timings: " + out.get("timings"));

    // Every command ran as a task of the sandbox on the native exec.
    String id = out.get("sandboxId").asString();
    assertThat(api.call("GET", "/v1/sandboxes/" + id + "/tasks", null).json().get("items").size())
        .isGreaterThanOrEqualTo(8);
  }
}
