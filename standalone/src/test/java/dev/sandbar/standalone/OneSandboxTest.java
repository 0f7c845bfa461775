package dev.sandbar.standalone;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** An end-to-end test class whose tests share one running sandbox, destroyed after the class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OneSandboxTest extends EndToEndTest {

  String sandbox;

  @BeforeAll
  void createSandbox() {
    client();
    sandbox = api.createRunning("{\"wait\": true}").get("id").asString();
  }

  @AfterAll
  void destroySandbox() {
    api.call("DELETE", "/v1/sandboxes/" + sandbox, null);
  }
}
