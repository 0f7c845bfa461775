package dev.sandbar.api.exec;

import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A command's events as server-sent events, each event's id the offsets to resume from. */
record SseEventSink(SseEmitter emitter) implements TaskEventSink {

  @Override
  public void send(String name, String id, Object data) throws IOException {
    emitter.send(SseEmitter.event().name(name).id(id).data(data, MediaType.APPLICATION_JSON));
  }

  @Override
  public void keepAlive() throws IOException {
    emitter.send(SseEmitter.event().comment("keep-alive"));
  }

  @Override
  public void complete() {
    emitter.complete();
  }
}
