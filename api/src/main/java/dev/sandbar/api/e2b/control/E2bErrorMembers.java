package dev.sandbar.api.e2b.control;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Every problem answered under {@code /e2b} also carries E2B's error members: {@code code} (the
 * HTTP status, which the SDK compares, e.g. to turn a 404 into {@code kill() === false}) and {@code
 * message} (what the SDK puts in the error it throws). The body stays {@code
 * application/problem+json}; these are extension members.
 */
@ControllerAdvice
class E2bErrorMembers implements ResponseBodyAdvice<Object> {

  static final String PREFIX = "/e2b/";

  @Override
  public boolean supports(
      MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(
      Object body,
      MethodParameter returnType,
      MediaType selectedContentType,
      Class<? extends HttpMessageConverter<?>> selectedConverterType,
      ServerHttpRequest request,
      ServerHttpResponse response) {
    if (body instanceof ProblemDetail problem && isE2b(request)) {
      problem.setProperty("code", problem.getStatus());
      problem.setProperty("message", problem.getDetail());
    }
    return body;
  }

  private static boolean isE2b(ServerHttpRequest request) {
    if (request instanceof ServletServerHttpRequest servlet) {
      String uri = servlet.getServletRequest().getRequestURI();
      return uri.substring(servlet.getServletRequest().getContextPath().length())
          .startsWith(PREFIX);
    }
    return false;
  }
}
