package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.Test;

/** {@link EncodedCap} against the size Temporal's own data converter gives a string. */
class EncodedCapTest {

  @Test
  void costsAreWhatTheDataConverterWrites() {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      every.append(c);
    }
    every.append("é€\uFFFD").appendCodePoint(0x1F600);
    String text = every.toString();

    assertThat(encodedCost(text)).isEqualTo(payloadBytes(text));
  }

  @Test
  void headAndTailKeepWhatFitsTheBudgetOnceEncoded() {
    String nuls = "\0".repeat(1000);

    assertThat(EncodedCap.head(nuls, 600)).hasSize(100);
    assertThat(EncodedCap.tail(nuls, 600)).hasSize(100);
    assertThat(payloadBytes(EncodedCap.head(nuls, 600))).isLessThanOrEqualTo(600);
    assertThat(EncodedCap.head("plain", 600)).isEqualTo("plain");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = new StringBuilder().appendCodePoint(0x1F600).toString();
    String text = "a" + emoji + emoji;

    assertThat(EncodedCap.head(text, 4)).isEqualTo("a");
    assertThat(EncodedCap.tail(text, 6)).isEqualTo(emoji);
  }

  private static long encodedCost(String text) {
    long cost = 0;
    for (int i = 0; i < text.length(); i++) {
      cost += EncodedCap.cost(text.charAt(i));
    }
    return cost;
  }

  /** The string's JSON payload data, less its two quotes. */
  private static long payloadBytes(String text) {
    return DefaultDataConverter.newDefaultInstance().toPayload(text).orElseThrow().getData().size()
        - 2;
  }
}
