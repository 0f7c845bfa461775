package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamTextTest {

  @Test
  void holdsBackACharacterSplitBetweenReads() {
    byte[] bytes = "a✓b".getBytes(StandardCharsets.UTF_8); // ✓ is three bytes
    StreamText text = new StreamText(StreamEncoding.UTF8);

    assertThat(text.next(Arrays.copyOfRange(bytes, 0, 2), false)).isEqualTo("a");
    assertThat(text.next(Arrays.copyOfRange(bytes, 2, 3), false)).isEmpty();
    assertThat(text.next(Arrays.copyOfRange(bytes, 3, 5), false)).isEqualTo("✓b");
  }

  @Test
  void replacesInvalidBytesAndFlushesAnUnfinishedCharacterAtTheEnd() {
    StreamText text = new StreamText(StreamEncoding.UTF8);

    assertThat(text.next(new byte[] {'x', (byte) 0xff, 'y'}, false)).isEqualTo("x\uFFFDy");
    assertThat(text.next(new byte[] {(byte) 0xe2, (byte) 0x9c}, false)).isEmpty();
    assertThat(text.next(new byte[0], true)).isEqualTo("\uFFFD");
  }

  @Test
  void base64PassesEveryByte() {
    StreamText text = new StreamText(StreamEncoding.BASE64);

    assertThat(text.next(new byte[] {0, (byte) 0xff}, false)).isEqualTo("AP8=");
  }
}
