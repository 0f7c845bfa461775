package dev.sandbar.api.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An error answer that only some handlers give (409, 413, 422, 429, …), documented as {@code
 * application/problem+json} by {@link OperationProblems}. The answers every handler of a shape
 * gives (400, 401, 403, 404, 500, 503) need no annotation. Springdoc's own {@code @ApiResponse}
 * would do, but declaring any response with it drops the success answer springdoc derives from the
 * return type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

  /** The HTTP status. */
  int status();

  /** When it is answered, and with which problem types. */
  String description();

  /** The container of repeated {@link ProblemResponse}s. */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface List {
    ProblemResponse[] value();
  }
}
