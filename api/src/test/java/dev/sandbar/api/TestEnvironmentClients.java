package dev.sandbar.api;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestWorkflowEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The API's Temporal beans taken from the test configuration's {@link TestWorkflowEnvironment}, so
 * the API's own back off. The environment owns them: it closes them when it closes.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestEnvironmentClients {

  @Bean(destroyMethod = "")
  WorkflowServiceStubs workflowServiceStubs(TestWorkflowEnvironment environment) {
    return environment.getWorkflowServiceStubs();
  }

  @Bean(destroyMethod = "")
  WorkflowClient workflowClient(TestWorkflowEnvironment environment) {
    return environment.getWorkflowClient();
  }
}
