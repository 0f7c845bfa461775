package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The one-entry tar an upload streams to Docker. */
class SingleFileTarTest {

  @Test
  void holdsExactlyOneRegularFileWithItsMetadataAndBytes() throws IOException {
    byte[] content = "hello, tar".getBytes(StandardCharsets.UTF_8);
    SingleFileTar.Header header =
        new SingleFileTar.Header("file.txt", content.length, 0640, 1000, 1001, 1_700_000_000_000L);

    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(SingleFileTar.of(header, new ByteArrayInputStream(content)))) {
      TarArchiveEntry entry = tar.getNextEntry();
      assertThat(entry.getName()).isEqualTo("file.txt");
      assertThat(entry.isFile()).isTrue();
      assertThat(entry.getSize()).isEqualTo(content.length);
      assertThat(entry.getMode() & 07777).isEqualTo(0640);
      assertThat(entry.getLongUserId()).isEqualTo(1000);
      assertThat(entry.getLongGroupId()).isEqualTo(1001);
      assertThat(entry.getModTime().getTime()).isEqualTo(1_700_000_000_000L);
      assertThat(tar.readAllBytes()).isEqualTo(content);
      assertThat(tar.getNextEntry()).isNull();
    }
  }

  @Test
  void keepsLongAndNonAsciiNamesWhole() throws IOException {
    String name = "é".repeat(60) + ".txt";
    SingleFileTar.Header header = new SingleFileTar.Header(name, 0, 0644, 0, 0, 0);

    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(SingleFileTar.of(header, InputStream.nullInputStream()))) {
      assertThat(tar.getNextEntry().getName()).isEqualTo(name);
      assertThat(tar.getNextEntry()).isNull();
    }
  }

  @Test
  void failsWhenTheBodyEndsBeforeItsDeclaredLength() {
    SingleFileTar.Header header = new SingleFileTar.Header("short", 100, 0644, 0, 0, 0);

    assertThatThrownBy(
            () -> SingleFileTar.of(header, new ByteArrayInputStream(new byte[10])).readAllBytes())
        .isInstanceOf(EOFException.class);
  }

  @Test
  void refusesNamesThatAreNotBaseNames() {
    for (String name : new String[] {"a/b", "..", ".", ""}) {
      assertThatThrownBy(() -> new SingleFileTar.Header(name, 0, 0644, 0, 0, 0))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
