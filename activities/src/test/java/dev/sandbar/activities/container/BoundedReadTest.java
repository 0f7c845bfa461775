package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BoundedRead} and {@link TrustedHelper}'s check, without Docker. */
class BoundedReadTest {

  @TempDir Path dir;

  @Test
  void countingPastTheSizeLimitFailsForGood() {
    BoundedRead read = new BoundedRead("probe of t-1", 10, Duration.ofMinutes(1));
    read.count(10);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> read.count(1));

    assertThat(failure.getType()).isEqualTo(ErrorType.CONTAINER_READ_LIMIT.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).startsWith("probe of t-1 answered more than 10 bytes");
    assertThat(read.bytes()).isEqualTo(11);
  }

  @Test
  void aWrappedStreamIsCutAtTheLimitWhetherReadOrSkipped() throws IOException {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'y';
          }
        };
    BoundedRead read = new BoundedRead("read", 1000, Duration.ofMinutes(1));
    InputStream bounded = read.wrap(endless);

    assertThat(bounded.readNBytes(600)).hasSize(600);
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> bounded.skip(1000));

    assertThat(failure.getType()).isEqualTo(ErrorType.CONTAINER_READ_LIMIT.name());
    assertThat(read.bytes()).isLessThanOrEqualTo(1000 + 8192);
  }

  @Test
  void aReadPastItsDeadlineFailsForGood() {
    BoundedRead read = new BoundedRead("exec in c", 1000, Duration.ZERO);
    InputStream bounded = read.wrap(new ByteArrayInputStream(new byte[10]));

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, bounded::read);

    assertThat(failure.getType()).isEqualTo(ErrorType.CONTAINER_READ_LIMIT.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("exec in c did not finish within 0 s");
    assertThat(read.remainingMillis()).isZero();
  }

  @Test
  void withinBothLimitsEverythingPasses() throws IOException {
    BoundedRead read = new BoundedRead("read", 10, Duration.ofMinutes(1));

    assertThat(read.wrap(new ByteArrayInputStream("0123456789".getBytes())).readAllBytes())
        .hasSize(10);
    assertThat(read.bytes()).isEqualTo(10);
  }

  @Test
  void theTrustedHelperMustBeAStaticallyLinkedExecutable() throws IOException {
    assertThat(TrustedHelper.checked(TrustedHelper.DEFAULT_HOST_PATH).hostPath())
        .isEqualTo(TrustedHelper.DEFAULT_HOST_PATH);
    assertThat(TrustedHelper.isStaticElf(Path.of("/bin/ls"))).as("dynamically linked").isFalse();
    Path text = Files.writeString(dir.resolve("busybox"), "#!/bin/sh\n");
    text.toFile().setExecutable(true);

    assertThat(catchThrowableOfType(IllegalStateException.class, () -> TrustedHelper.checked(text)))
        .hasMessageContaining("not a statically linked ELF executable")
        .hasMessageContaining("SANDBAR_HELPER_BUSYBOX");
    assertThat(
            catchThrowableOfType(
                IllegalStateException.class, () -> TrustedHelper.checked(dir.resolve("none"))))
        .hasMessageContaining("is not a file");
  }
}
