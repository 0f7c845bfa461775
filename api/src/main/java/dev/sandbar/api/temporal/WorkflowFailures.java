package dev.sandbar.api.temporal;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.KnownFailures;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Lets the problem handler describe a workflow failure that no service translated. */
@Component
class WorkflowFailures implements KnownFailures {

  @Override
  public Optional<ApiProblem> describe(Throwable failure) {
    return WorkflowProblems.known(failure);
  }
}
