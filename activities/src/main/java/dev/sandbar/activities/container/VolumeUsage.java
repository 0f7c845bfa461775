package dev.sandbar.activities.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.sandbar.workflows.model.SandboxMetrics.Disk;
import java.io.IOException;
import java.io.InputStream;

/**
 * The size of a data volume, as Docker's {@code GET /system/df?type=volume} measures it
 * (docker-java has no call for it). Docker walks the volumes to answer, so this is read on request
 * only, never on a schedule. Nothing runs inside the sandbox: its own tools could report anything.
 */
final class VolumeUsage {

  private static final ObjectMapper JSON = new ObjectMapper();

  private VolumeUsage() {}

  static Disk of(DockerClient docker, String volumeName) {
    if (!(docker instanceof DockerClientImpl impl)) {
      return Disk.unsupported("this Docker client cannot ask the daemon for volume sizes");
    }
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path("/system/df?type=volume")
            .build();
    try (DockerHttpClient.Response response = impl.getHttpClient().execute(request);
        InputStream body = response.getBody()) {
      if (response.getStatusCode() != 200) {
        return Disk.unsupported("Docker answered " + response.getStatusCode() + " to system df");
      }
      JsonNode volumes = JSON.readTree(body).path("Volumes");
      for (JsonNode volume : volumes) {
        if (volumeName.equals(volume.path("Name").asText())) {
          long size = volume.path("UsageData").path("Size").asLong(-1);
          // Docker answers -1 when it could not measure the volume (a driver other than local).
          return size < 0
              ? Disk.unsupported("Docker does not know the size of volume " + volumeName)
              : new Disk(true, null, size);
        }
      }
      return Disk.unsupported("the data volume " + volumeName + " is gone");
    } catch (IOException | RuntimeException e) {
      return Disk.unsupported("Docker could not measure volumes: " + e.getMessage());
    }
  }
}
