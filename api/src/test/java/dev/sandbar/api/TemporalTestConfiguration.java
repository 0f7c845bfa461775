package dev.sandbar.api;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An in-process Temporal service with no worker: workflows the API starts are recorded but never
 * run, which is all the request-handling tests need. The API's own Temporal beans back off.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TemporalTestConfiguration {

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment testWorkflowEnvironment() {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
  }

  @Bean(destroyMethod = "")
  WorkflowServiceStubs workflowServiceStubs(TestWorkflowEnvironment environment) {
    return environment.getWorkflowServiceStubs();
  }

  @Bean(destroyMethod = "")
  WorkflowClient workflowClient(TestWorkflowEnvironment environment) {
    return environment.getWorkflowClient();
  }
}
