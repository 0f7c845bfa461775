package dev.sandbar.workflows.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  private static final DataConverter CONVERTER = DefaultDataConverter.newDefaultInstance();

  @Test
  void resourcesWrittenBeforeRequestsExistedReadWithoutRequests() {
    Resources old = read("{\"cpus\":2.0,\"memoryMb\":1024,\"pids\":128}");

    assertThat(old).isEqualTo(new Resources(2.0, 1024, 128));
    assertThat(old.requestCpus()).isNull();
    assertThat(old.effectiveRequestCpus(0.05)).isEqualTo(0.1);
    assertThat(old.effectiveRequestMemoryMb(0.5)).isEqualTo(512);
  }

  @Test
  void explicitRequestsSurviveARoundTripAndWinOverTheFractions() {
    Resources explicit = new Resources(2.0, 1024, 128, 0.5, 300L);

    Resources copy = read(write(explicit));

    assertThat(copy).isEqualTo(explicit);
    assertThat(copy.effectiveRequestCpus(0.05)).isEqualTo(0.5);
    assertThat(copy.effectiveRequestMemoryMb(0.5)).isEqualTo(300);
  }

  @Test
  void defaultCpuRequestsAreWholeMillicores() {
    assertThat(new Resources(0.3, 512, 64).effectiveRequestCpus(0.05)).isEqualTo(0.015);
    assertThat(new Resources(0.01, 512, 64).effectiveRequestCpus(0.05)).isEqualTo(0.001);
  }

  @Test
  void defaultRequestsFillOnlyWhatIsMissing() {
    Resources partial = new Resources(1.0, 511, 64, 0.25, null);

    assertThat(partial.withDefaultRequests(0.05, 0.5))
        .isEqualTo(new Resources(1.0, 511, 64, 0.25, 256L));
  }

  private static Resources read(String json) {
    return CONVERTER.fromPayload(
        DefaultDataConverter.STANDARD_INSTANCE.toPayload("").orElseThrow().toBuilder()
            .setData(com.google.protobuf.ByteString.copyFrom(json, StandardCharsets.UTF_8))
            .build(),
        Resources.class,
        Resources.class);
  }

  private static String write(Resources resources) {
    return CONVERTER.toPayload(resources).orElseThrow().getData().toStringUtf8();
  }
}
