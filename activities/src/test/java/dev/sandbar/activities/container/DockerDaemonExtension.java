package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests against the real local Docker daemon: connects once per test class
 * ({@link DockerTestSupport#connect}: a missing daemon or image fails the class, it is never
 * skipped), hands the client to any {@link DockerClient} parameter (the test's constructor) and
 * closes it after the class.
 */
final class DockerDaemonExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DockerDaemonExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(DockerClient.class, DockerTestSupport.connect());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    DockerClient client =
        context.getStore(NAMESPACE).remove(DockerClient.class, DockerClient.class);
    if (client != null) {
      client.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DockerClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    DockerClient client = context.getStore(NAMESPACE).get(DockerClient.class, DockerClient.class);
    if (client == null) {
      throw new ParameterResolutionException("no Docker client: the daemon was not connected");
    }
    return client;
  }
}
