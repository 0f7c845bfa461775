package dev.sandbar.api.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SandboxAccessTokensTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void aTokenOpensItsOwnSandboxOnly() {
    SandboxAccessTokens tokens = new SandboxAccessTokens(POSTGRES.jdbi());
    String token = tokens.tokenFor("tenant-a", "sb-1");

    assertThat(tokens.opens(token, "tenant-a", "sb-1")).isTrue();
    assertThat(tokens.opens(token, "tenant-a", "sb-2")).isFalse();
    assertThat(tokens.opens(token, "tenant-b", "sb-1")).isFalse();
    assertThat(tokens.opens(null, "tenant-a", "sb-1")).isFalse();
    assertThat(tokens.opens(token + "x", "tenant-a", "sb-1")).isFalse();
  }

  @Test
  void everyInstanceDerivesTheSameTokenFromTheSharedSecret() {
    String first = new SandboxAccessTokens(POSTGRES.jdbi()).tokenFor("tenant-a", "sb-1");
    String second = new SandboxAccessTokens(POSTGRES.jdbi()).tokenFor("tenant-a", "sb-1");

    assertThat(second).isEqualTo(first).startsWith("sbe_");
  }

  @Test
  void theSeparatorKeepsShiftedIdsApart() {
    SandboxAccessTokens tokens = new SandboxAccessTokens(POSTGRES.jdbi());

    assertThat(tokens.tokenFor("ab", "c")).isNotEqualTo(tokens.tokenFor("a", "bc"));
  }
}
