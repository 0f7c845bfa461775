package dev.sandbar.client;

import dev.sandbar.client.api.ExecApi;
import dev.sandbar.client.api.SandboxesApi;
import dev.sandbar.client.model.CommandResult;
import dev.sandbar.client.model.CreateSandboxRequest;
import dev.sandbar.client.model.RunCommandRequest;
import dev.sandbar.client.model.SandboxResponse;
import java.util.List;

/**
 * What a user writes against the client openapi-generator makes from the served document: create a
 * sandbox, run a command in it, destroy it. Compiled by GeneratedClientTest with the generated
 * sources, so a document the generator misreads fails the build.
 */
public final class ClientDriver {

  private ClientDriver() {}

  /** Answers the sandbox id, its state after create, the command's exit code, stdout, status and the state after destroy. */
  public static List<String> createExecDestroy(String baseUri, String apiKey) throws ApiException {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUri);
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + apiKey));
    SandboxesApi sandboxes = new SandboxesApi(client);
    ExecApi exec = new ExecApi(client);

    SandboxResponse created =
        sandboxes.createSandbox(
            null, new CreateSandboxRequest().wait(true).putLabelsItem("client", "generated"));
    CommandResult result =
        exec.runCommand(created.getId(), new RunCommandRequest().command("echo hello; exit 3"));
    SandboxResponse destroyed = sandboxes.destroySandbox(created.getId(), false, false);
    return List.of(
        created.getId(),
        created.getState().getValue(),
        String.valueOf(result.getExitCode()),
        result.getStdout(),
        result.getStatus().getValue(),
        destroyed.getState().getValue(),
        String.valueOf(destroyed.getError()));
  }
}
