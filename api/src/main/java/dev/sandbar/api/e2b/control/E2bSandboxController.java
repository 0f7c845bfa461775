package dev.sandbar.api.e2b.control;

import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * E2B's control-plane REST surface, as its SDK calls it with {@code E2B_API_URL=<sandbar>/e2b} and
 * a tenant's key in {@code X-API-Key}. Hidden from Sandbar's OpenAPI document: it follows E2B's
 * published API (its shapes, its status codes), not Sandbar's conventions, and the README lists
 * what it supports.
 */
@Hidden
@RestController
@RequestMapping("/e2b")
record E2bSandboxController(E2bSandboxes sandboxes) {

  static final String NEXT_TOKEN = "X-Next-Token";

  /** E2B's create; its SDK calls the {@code /v2} path, older clients the other. */
  @PostMapping({"/sandboxes", "/v2/sandboxes"})
  ResponseEntity<E2bSandbox> create(
      Caller caller, @RequestBody(required = false) @Nullable E2bNewSandbox body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(sandboxes.create(caller.requireTenant(), body));
  }

  @GetMapping("/v2/sandboxes")
  ResponseEntity<List<E2bSandboxDetail>> list(
      Caller caller,
      @RequestParam(required = false) @Nullable String metadata,
      @RequestParam(required = false) @Nullable List<String> state,
      @RequestParam(required = false) @Nullable String order,
      @RequestParam(required = false) @Nullable String startedAfter,
      @RequestParam(required = false) @Nullable String template,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String nextToken) {
    E2bListQuery.refuseUnsupported(startedAfter, template);
    E2bSandboxPage page =
        sandboxes.list(
            caller.requireTenant(),
            E2bListQuery.states(state),
            E2bListQuery.metadata(metadata),
            E2bListQuery.limit(limit),
            nextToken,
            E2bListQuery.oldestFirst(order));
    ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
    if (page.nextToken() != null) {
      answer.header(NEXT_TOKEN, page.nextToken());
    }
    return answer.body(page.items());
  }

  @GetMapping("/sandboxes/{sandboxID}")
  E2bSandboxDetail get(Caller caller, @PathVariable String sandboxID) {
    return sandboxes.get(caller.requireTenant(), sandboxID);
  }

  @DeleteMapping("/sandboxes/{sandboxID}")
  ResponseEntity<Void> kill(Caller caller, @PathVariable String sandboxID) {
    sandboxes.kill(caller.requireTenant(), sandboxID);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/sandboxes/{sandboxID}/timeout")
  ResponseEntity<Void> setTimeout(
      Caller caller,
      @PathVariable String sandboxID,
      @RequestBody(required = false) @Nullable E2bTimeout body) {
    sandboxes.setTimeout(caller.requireTenant(), sandboxID, body);
    return ResponseEntity.noContent().build();
  }

  /**
   * E2B's body may ask for a filesystem-only pause ({@code memory: false}); Sandbar's pause always
   * keeps the processes, which is more than asked, so the body is read and otherwise ignored.
   */
  @PostMapping("/sandboxes/{sandboxID}/pause")
  ResponseEntity<Void> pause(
      Caller caller,
      @PathVariable String sandboxID,
      @RequestBody(required = false) @Nullable E2bPause body) {
    sandboxes.pause(caller.requireTenant(), sandboxID);
    return ResponseEntity.noContent().build();
  }

  /** 201 when the sandbox was resumed (or started), 200 when it was running: as E2B answers. */
  @PostMapping({"/sandboxes/{sandboxID}/connect", "/v2/sandboxes/{sandboxID}/connect"})
  ResponseEntity<E2bSandbox> connect(
      Caller caller,
      @PathVariable String sandboxID,
      @RequestBody(required = false) @Nullable E2bTimeout body) {
    E2bSandboxes.Connected connected = sandboxes.connect(caller.requireTenant(), sandboxID, body);
    return ResponseEntity.status(connected.resumed() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(connected.sandbox());
  }

  /** E2B's pause request; see {@link #pause}. */
  record E2bPause(@Nullable Boolean memory) {}
}
