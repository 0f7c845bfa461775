package dev.sandbar.api.edge;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * The checks every request passes where it enters, before any controller: the body's size, the JSON
 * parser's bounds, the texts of the body, the query and the path, and Tomcat's own refusals as
 * problems.
 */
@Configuration(proxyBeanMethods = false)
class EdgeConfiguration implements WebMvcConfigurer {

  /** Deeper than any request Sandbar accepts (a create's health check is three levels). */
  static final int MAX_NESTING_DEPTH = 32;

  /** Above the largest text field (a 64 KiB command) with room for escapes. */
  static final int MAX_STRING_LENGTH = 256 * 1024;

  private final long maxRequestBytes;

  EdgeConfiguration(
      @Value("${sandbar.max-request-bytes:${SANDBAR_MAX_REQUEST_BYTES:1048576}}")
          long maxRequestBytes) {
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("SANDBAR_MAX_REQUEST_BYTES must be at least 1024");
    }
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new RequestTextInterceptor()).addPathPatterns("/v1/**", "/e2b/**");
  }

  @Bean
  FilterRegistrationBean<RequestSizeFilter> sandbarRequestSizeFilter() {
    FilterRegistrationBean<RequestSizeFilter> registration =
        new FilterRegistrationBean<>(new RequestSizeFilter(maxRequestBytes));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /**
   * Bounds what the parser reads, and refuses a member given twice (which of the two would count is
   * the parser's choice, not the client's).
   */
  @Bean
  JsonFactoryBuilderCustomizer sandbarJsonBounds() {
    return builder ->
        builder
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_STRING_LENGTH)
                    .build());
  }

  /**
   * Text rules for every string, and no guessing at types: a number or boolean where text is
   * expected ({@code "user": 12}), or an empty or blank string where a number, boolean or object is
   * expected ({@code "ttlSeconds": ""}, which Jackson would otherwise read as absent), is a 400.
   */
  @Bean
  JsonMapperBuilderCustomizer sandbarStrictInput() {
    return builder ->
        builder
            .addModule(new SafeTextModule())
            .withCoercionConfigDefaults(
                config ->
                    config
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setAcceptBlankAsEmpty(false))
            .withCoercionConfig(
                LogicalType.Textual,
                config ->
                    config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /**
   * Replaces the host's error report valves (Tomcat's default and the one Spring Boot adds) with
   * {@link ProblemErrorReportValve}. Runs after Boot's own customizer, which adds its valve.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> sandbarProblemErrorReports() {
    return new WebServerFactoryCustomizer<>() {
      @Override
      public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                  if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                  }
                }
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemErrorReportValve());
              }
            });
      }
    };
  }
}
