package dev.sandbar.activities.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link StreamPipe}: the pipe a restore streams through into Docker. */
class ArchiveStreamPipeTest {

  @Test
  void carriesEveryByteInOrderThroughASmallBuffer() throws Exception {
    byte[] data = new byte[1_000_003];
    new Random(42).nextBytes(data);
    StreamPipe pipe = new StreamPipe(4096);

    CompletableFuture<byte[]> received =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = pipe.source()) {
                return in.readAllBytes();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    Random sizes = new Random(7);
    try (OutputStream out = pipe.sink()) {
      int off = 0;
      while (off < data.length) {
        int n = Math.min(data.length - off, 1 + sizes.nextInt(10_000));
        out.write(data, off, n);
        off += n;
      }
    }

    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(data);
  }

  @Test
  void abortFailsAReaderThatIsWaitingForMore() throws Exception {
    StreamPipe pipe = new StreamPipe(1024);
    pipe.sink().write(new byte[10]);
    CompletableFuture<Throwable> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                pipe.source().readAllBytes();
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    Thread.sleep(200); // let the reader drain the ten bytes and wait for more

    IOException cause = new IOException("archive became unreadable");
    pipe.abort(cause);

    assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasCause(cause);
  }

  @Test
  void closingTheReaderFailsAWriterBlockedOnAFullPipe() throws Exception {
    StreamPipe pipe = new StreamPipe(16);
    CompletableFuture<Throwable> writer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                pipe.sink().write(new byte[1024]);
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    Thread.sleep(200); // the writer fills 16 bytes and blocks

    pipe.closeReader();

    assertThat(writer.get(10, TimeUnit.SECONDS))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed by its reader");
  }

  @Test
  void readerSeesEndOfStreamOnlyAfterTheWriterCloses() throws IOException {
    StreamPipe pipe = new StreamPipe(64);
    pipe.sink().write(new byte[] {1, 2, 3});
    pipe.sink().close();

    assertThat(pipe.source().readAllBytes()).containsExactly(1, 2, 3);
    assertThat(pipe.source().read()).isEqualTo(-1);
    assertThatThrownBy(() -> pipe.sink().write(4)).isInstanceOf(IOException.class);
  }
}
