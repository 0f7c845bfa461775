package dev.sandbar.activities.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SparseFileOutput} on the real file system of the test machine. */
class SparseFileOutputTest {

  @TempDir Path dir;

  @Test
  void zeroBlocksBecomeHolesAndTheBytesReadBackTheSame() throws Exception {
    byte[] data = new byte[64 * 1024 * 1024];
    byte[] head = new byte[10_000];
    new Random(7).nextBytes(head);
    System.arraycopy(head, 0, data, 1, head.length);
    data[data.length / 2] = 42;
    Path file = dir.resolve("f");

    write(file, data, 65_536);

    assertThat(Files.readAllBytes(file)).isEqualTo(data);
    assertThat(allocatedBytes(file)).isLessThan(1024 * 1024);
  }

  @Test
  void aFileEndingInAHoleKeepsItsLengthAndOddWritesLandInPlace() throws Exception {
    byte[] data = new byte[3 * SparseFileOutput.BLOCK + 17];
    data[5] = 1;
    data[SparseFileOutput.BLOCK + 100] = 2;
    Path file = dir.resolve("g");

    write(file, data, 333);

    assertThat(Files.size(file)).isEqualTo(data.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(data);
  }

  private static void write(Path file, byte[] data, int chunk) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      SparseFileOutput out = new SparseFileOutput(channel);
      for (int i = 0; i < data.length; i += chunk) {
        byte[] piece = Arrays.copyOfRange(data, i, Math.min(data.length, i + chunk));
        out.write(piece, 0, piece.length);
      }
      out.finish();
      assertThat(out.position()).isEqualTo(data.length);
    }
  }

  /** What the file system allocated for the file ({@code st_blocks} times 512). */
  static long allocatedBytes(Path file) throws IOException, InterruptedException {
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
    assertThat(stat.waitFor()).isZero();
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }
}
