package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.api.problem.ApiProblem;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** Which network modes a create may ask for, by deployment setting. */
class NetworkModeValidationTest {

  private static final RequestDefaults REQUESTS = new RequestDefaults(0.05, 0.5);
  private static final NetworkPolicy BRIDGE_OFF = new NetworkPolicy(false);
  private static final NetworkPolicy BRIDGE_ON = new NetworkPolicy(true);

  @Test
  void aSandboxGetsItsTenantsIsolatedNetworkUnlessItAsksOtherwise() {
    assertThat(validate(null, BRIDGE_OFF)).isEqualTo("isolated");
    assertThat(validate("shared", BRIDGE_OFF)).isEqualTo("shared");
    assertThat(validate("none", BRIDGE_OFF)).isEqualTo("none");
  }

  @Test
  void dockersDefaultBridgeOnlyWhereTheDeploymentEnablesIt() {
    assertThatThrownBy(() -> validate("bridge", BRIDGE_OFF))
        .isInstanceOfSatisfying(
            ApiProblem.class,
            problem ->
                assertThat(problem.invalidFields())
                    .singleElement()
                    .satisfies(
                        field -> {
                          assertThat(field.field()).isEqualTo("networkMode");
                          assertThat(field.message()).contains("SANDBAR_ALLOW_BRIDGE_NETWORK");
                        }));
    assertThat(validate("bridge", BRIDGE_ON)).isEqualTo("bridge");
  }

  private static String validate(String networkMode, NetworkPolicy policy) {
    String body = networkMode == null ? "{}" : "{\"networkMode\": \"" + networkMode + "\"}";
    CreateSandboxRequest request = new ObjectMapper().readValue(body, CreateSandboxRequest.class);
    return SandboxRequestValidator.validate(request, "sandbar-base:latest", REQUESTS, policy)
        .networkMode();
  }
}
