package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;

/** How an export or a restore of the data path ended. */
sealed interface TransferResult {

  TransferResult DONE = new Done();

  record Done() implements TransferResult {}

  /** Failed; already audited, and the sandbox put back as it was (or in error). */
  record Failed(String message) implements TransferResult {

    /** The answer of the operation an export failure aborted. */
    ApplicationFailure exportFailure() {
      return ApplicationFailure.newNonRetryableFailure(message, ErrorType.EXPORT_FAILED.name());
    }
  }
}
