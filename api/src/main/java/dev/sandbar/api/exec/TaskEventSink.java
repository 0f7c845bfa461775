package dev.sandbar.api.exec;

import java.io.IOException;

/**
 * Where a followed command's events go: server-sent events for the native API ({@link
 * SseEventSink}), Connect frames for E2B's SDK. The events and their data are those of {@link
 * StreamEvents}; an {@link IOException} (or {@link IllegalStateException}) from any method means
 * the client is gone, and the command goes on regardless.
 */
public interface TaskEventSink {

  /**
   * Sends one event.
   *
   * @param name {@code start}, {@code stdout}, {@code stderr}, {@code exit} or {@code error}
   * @param id {@code <stdoutOffset>:<stderrOffset>} after the event, where a client resumes
   * @param data the matching {@link StreamEvents} record
   */
  void send(String name, String id, Object data) throws IOException;

  /** Tells a quiet client the stream is alive, so proxies keep it and a gone client shows. */
  void keepAlive() throws IOException;

  /** The last event was sent. */
  void complete() throws IOException;
}
