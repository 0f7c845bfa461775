package dev.sandbar.api.e2b.control;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any other call under {@code /e2b} (snapshots, metrics, logs, templates, fork, network, ...): a
 * 501 problem naming the call, so an E2B user learns at once what Sandbar does not serve instead of
 * meeting a bare 404. More specific mappings (the supported calls) win over this one.
 */
@Hidden
@RestController
class E2bUnsupportedController {

  @RequestMapping("/e2b/**")
  void unsupported(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    throw ApiProblem.of(
        ProblemType.NOT_IMPLEMENTED,
        request.getMethod()
            + " "
            + path.substring("/e2b".length())
            + " is not supported by Sandbar's E2B API (see the README, E2B SDK)");
  }
}
