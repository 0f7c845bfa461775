package dev.sandbar.api.auth;

import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts the API key check in front of {@code /v1} (except health) and E2B's control plane under
 * {@code /e2b}, and hands controllers the caller.
 */
@Configuration(proxyBeanMethods = false)
class AuthWebConfiguration implements WebMvcConfigurer {

  static {
    // The caller comes from the Authorization header, not from request parameters.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
  }

  private final ApiKeyService keys;
  private final SandbarApiProperties properties;

  AuthWebConfiguration(ApiKeyService keys, SandbarApiProperties properties) {
    this.keys = keys;
    this.properties = properties;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(
            new ApiKeyInterceptor(
                keys, properties, ApiKeyInterceptor.KeyHeader.BEARER_AUTHORIZATION))
        .addPathPatterns("/v1/**")
        .excludePathPatterns("/v1/health");
    // E2B's control plane; its in-sandbox protocol (/e2b/sandbox) authorises each call by the
    // sandbox's access token instead.
    registry
        .addInterceptor(
            new ApiKeyInterceptor(keys, properties, ApiKeyInterceptor.KeyHeader.X_API_KEY))
        .addPathPatterns("/e2b/**")
        .excludePathPatterns("/e2b/sandbox/**");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerResolver());
  }

  private static final class CallerResolver implements HandlerMethodArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
      return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Object resolveArgument(
        MethodParameter parameter,
        ModelAndViewContainer mavContainer,
        NativeWebRequest webRequest,
        WebDataBinderFactory binderFactory) {
      Object caller =
          webRequest.getAttribute(Caller.REQUEST_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
      if (caller == null) {
        throw ApiProblem.unauthorized("missing API key: send 'Authorization: Bearer <key>'");
      }
      return caller;
    }
  }
}
