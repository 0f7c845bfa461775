package dev.sandbar.api;

import dev.sandbar.workflows.testing.TemporalEnvironmentExtension;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * An in-process Temporal service with no worker: workflows the API starts are recorded but never
 * run, which is all the request-handling tests need. The API's own Temporal beans back off.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(TestEnvironmentClients.class)
public class TemporalTestConfiguration {

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment testWorkflowEnvironment() {
    return TemporalEnvironmentExtension.newEnvironment(
        DefaultDataConverter.STANDARD_INSTANCE, false);
  }
}
