package dev.sandbar.standalone;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a shell command in a container through Docker directly, to check what Sandbar did. */
final class Shell {

  private Shell() {}

  static String run(DockerClient docker, String container, String script) {
    String execId =
        docker
            .execCreateCmd(container)
            .withCmd("sh", "-c", script)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    StringBuilder out = new StringBuilder();
    try (ResultCallback.Adapter<Frame> callback =
        docker
            .execStartCmd(execId)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                  }
                })) {
      if (!callback.awaitCompletion(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("command did not finish: " + script);
      }
    } catch (Exception e) {
      throw new IllegalStateException("exec failed: " + script, e);
    }
    return out.toString();
  }
}
