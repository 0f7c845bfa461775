package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.workflows.activity.TaskFileActivities;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.TaskFiles;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TaskFileActivities} against one Docker daemon, with Sandbar's trusted helper. */
public class DockerTaskFileActivities implements TaskFileActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerTaskFileActivities.class);

  /** The task ids {@link DockerCommandActivities} accepts: no separators, no "..". */
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final DockerExec exec;

  public DockerTaskFileActivities(DockerClient docker) {
    this.exec = new DockerExec(docker);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Task ids that could never name a task directory are skipped (there is nothing of theirs to
   * remove); the rest are removed with one exec.
   */
  @Override
  public boolean removeTaskFiles(TaskFiles request) {
    String container = new ContainerRef(request.sandboxId()).containerName();
    List<String> dirs =
        request.taskIds().stream()
            .filter(id -> id != null && TASK_ID.matcher(id).matches())
            .map(id -> new CommandRef(request.sandboxId(), id).taskDir())
            .toList();
    if (dirs.isEmpty()) {
      return true;
    }
    DockerExec.Result out;
    try {
      out =
          exec.run(
              container,
              DockerExec.HEADER_BYTES,
              ContainerScripts.REMOVE,
              dirs.toArray(String[]::new));
    } catch (ContainerUnavailable e) {
      if (e.gone()) {
        return true;
      }
      log.info("{} is not running; {} task directories kept for now", container, dirs.size());
      return false;
    }
    if (out.exitCode() != 0) {
      throw DockerFailures.transientFailure(
          "removing task directories in " + container + " failed: " + out.stderrText(), null);
    }
    log.info("removed {} task directories in {}", dirs.size(), container);
    return true;
  }
}
