package dev.sandbar.worker;

import dev.sandbar.workflows.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The namespace's search attributes, registered by every worker before it polls. */
final class SearchAttributeRegistration {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private SearchAttributeRegistration() {}

  /**
   * Registers the keyword search attributes the sandbox workflow sets. A workflow that upserts an
   * unknown attribute fails its task, so this runs before the worker polls.
   */
  static void register(WorkflowClient client, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(client.getWorkflowServiceStubs().getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      // One key per request: a cluster answers ALREADY_EXISTS for a whole request if any key
      // exists.
      for (var key : SearchAttributes.ALL) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(
                          key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                      .build());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            log.warn(
                "could not register search attribute {} ({}); register SandboxState, SandboxHost"
                    + " and SandboxTenant (keyword) with the namespace",
                key.getName(),
                e.getStatus());
          }
        }
      }
    } finally {
      operator.shutdown();
    }
  }
}
