package dev.sandbar.workflows.testing;

import dev.sandbar.workflows.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-process Temporal test service, set up the one way every module's tests set it up: the
 * given data converter on its client and Sandbar's search attributes registered, as a worker and
 * the API expect them. As a JUnit 5 extension it gives each test a fresh time-skipping environment
 * (register workers, then {@code start()} it); it closes the environment after the test.
 *
 * <pre>{@code
 * @RegisterExtension final TemporalEnvironmentExtension temporal = new TemporalEnvironmentExtension();
 *
 * @BeforeEach void workers() { temporal.environment().newWorker(...); temporal.environment().start(); }
 * }</pre>
 *
 * <p>Code that owns an environment itself (a workflow harness, a Spring test configuration) asks
 * {@link #newEnvironment} for one.
 */
public final class TemporalEnvironmentExtension implements BeforeEachCallback, AfterEachCallback {

  private TestWorkflowEnvironment environment;

  /** A time-skipping environment with the SDK's standard converter, for the test's use. */
  public TestWorkflowEnvironment environment() {
    if (environment == null) {
      throw new IllegalStateException("no Temporal environment outside a test");
    }
    return environment;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    environment = newEnvironment(DefaultDataConverter.STANDARD_INSTANCE, true);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (environment != null) {
      environment.close();
      environment = null;
    }
  }

  /**
   * A new, not yet started environment whose client uses {@code dataConverter}, with Sandbar's
   * search attributes registered; {@code timeSkipping} off for tests that wait in real time.
   */
  public static TestWorkflowEnvironment newEnvironment(
      DataConverter dataConverter, boolean timeSkipping) {
    TestWorkflowEnvironment environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(timeSkipping)
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setDataConverter(dataConverter).build())
                .build());
    for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
      environment.registerSearchAttribute(
          key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return environment;
  }
}
