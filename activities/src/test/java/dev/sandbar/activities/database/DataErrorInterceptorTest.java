package dev.sandbar.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sandbar.store.testing.PostgresExtension;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor.ActivityInput;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor.ActivityOutput;
import io.temporal.common.interceptors.Header;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write the database refuses for its data fails for good, with a type the retry policies never
 * retry; a failure that may pass (the database away) is left as it was, for the retry.
 */
class DataErrorInterceptorTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Jdbi jdbi = POSTGRES.jdbi();
  private static final JdbiTaskStoreActivities store = new JdbiTaskStoreActivities(jdbi);

  @Test
  void nulInATaskDescriptionIsANonRetryableDataRejection() {
    TaskRecord task = task("task-nul", "build \0 it");

    Throwable failure = catchThrowable(() -> through(() -> store.recordTask(task)));

    assertThat(failure).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure application = (ApplicationFailure) failure;
    assertThat(application.isNonRetryable()).isTrue();
    assertThat(application.getType()).isEqualTo(ErrorType.DATA_REJECTED.name());
    assertThat(application.getOriginalMessage()).contains("22021");
    assertThat(ErrorType.permanent()).contains(ErrorType.DATA_REJECTED.name());
    int rows =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select count(*) from exec_tasks where id = 'task-nul'")
                    .mapTo(Integer.class)
                    .one());
    assertThat(rows).isZero();
  }

  @Test
  void aFailureThatMayPassIsLeftForTheRetry() {
    IllegalStateException unreachable = new IllegalStateException("connection refused");

    Throwable failure =
        catchThrowable(
            () ->
                through(
                    () -> {
                      throw unreachable;
                    }));

    assertThat(failure).isSameAs(unreachable);
  }

  @Test
  void classifiesSqlStates() {
    assertThat(DataErrorInterceptor.isPermanent("22P05")).isTrue();
    assertThat(DataErrorInterceptor.isPermanent("22001")).isTrue();
    assertThat(DataErrorInterceptor.isPermanent("23502")).isTrue();
    assertThat(DataErrorInterceptor.isPermanent("23505")).isFalse();
    assertThat(DataErrorInterceptor.isPermanent("08006")).isFalse();
    assertThat(DataErrorInterceptor.isPermanent("40001")).isFalse();
    assertThat(DataErrorInterceptor.isPermanent(null)).isFalse();
  }

  /** Runs {@code activity} as the worker would, behind the interceptor. */
  private static void through(Runnable activity) {
    ActivityInboundCallsInterceptor last =
        new ActivityInboundCallsInterceptor() {
          @Override
          public void init(ActivityExecutionContext context) {}

          @Override
          public ActivityOutput execute(ActivityInput input) {
            activity.run();
            return new ActivityOutput(null);
          }
        };
    new DataErrorInterceptor()
        .interceptActivity(last)
        .execute(new ActivityInput(Header.empty(), new Object[0]));
  }

  private static TaskRecord task(String taskId, String description) {
    ExecRequest request =
        new ExecRequest(taskId, "true", null, Map.of(), 30, null, description, false, 0);
    return new TaskRecord(
        "sb-data",
        "tenant-data",
        request,
        "/out",
        TaskStatus.RUNNING,
        false,
        Instant.now().toEpochMilli(),
        null);
  }
}
