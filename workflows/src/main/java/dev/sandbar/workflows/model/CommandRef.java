package dev.sandbar.workflows.model;

/** Names a command's files inside the container: {@code /.sandbar/tasks/<taskId>/}. */
public record CommandRef(String sandboxId, String taskId) {
  public static final String TASKS_DIR = "/.sandbar/tasks";

  public String taskDir() {
    return TASKS_DIR + "/" + taskId;
  }

  public String outputFile() {
    return taskDir() + "/output.log";
  }
}
