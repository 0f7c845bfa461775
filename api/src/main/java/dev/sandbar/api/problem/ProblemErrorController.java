package dev.sandbar.api.problem;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the errors that never reach a controller (rejected by the servlet container or a filter)
 * in the same problem format, instead of Boot's default error body. Replaces Boot's error
 * controller, which backs off when another one exists.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:${error.path:/error}}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value ? value : 500;
    ProblemType type = ProblemType.forStatus(status);
    HttpStatus httpStatus = HttpStatus.resolve(status);
    String detail = httpStatus == null ? "request failed" : httpStatus.getReasonPhrase();
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (uri instanceof String path) {
      problem.setInstance(URI.create(path));
    }
    return ResponseEntity.status(status).body(problem);
  }
}
