package dev.sandbar.api.edge;

import dev.sandbar.api.problem.ProblemBodies;
import dev.sandbar.api.problem.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies before anything parses them: a declared length over the limit is a 413 at
 * once, without reading a byte; a body without a length (chunked) is counted as it is read and
 * fails with {@link RequestTooLargeException} at the first byte past the limit, which the problem
 * handler answers with the same 413.
 */
final class RequestSizeFilter extends OncePerRequestFilter {

  private static final Pattern FILE_UPLOAD = Pattern.compile("/v1/sandboxes/[^/]+/files");

  private static final String E2B_FILE_UPLOAD = "/e2b/sandbox/files";

  private final long maxBytes;

  RequestSizeFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * A file upload ({@code PUT /v1/sandboxes/{id}/files}) streams its body into the sandbox and is
   * bounded by its own limit ({@code SANDBAR_FILE_MAX_BYTES}); nothing parses it. E2B's upload
   * ({@code POST /e2b/sandbox/files}) is bounded the same way, its multipart parts by the servlet
   * container's part limit set to that value ({@code EnvdUploadDefaults}).
   */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return ("PUT".equals(request.getMethod())
            && FILE_UPLOAD.matcher(request.getRequestURI()).matches())
        || ("POST".equals(request.getMethod()) && E2B_FILE_UPLOAD.equals(request.getRequestURI()));
  }

  static String tooLarge(long limit) {
    return "request body is larger than " + limit + " bytes";
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      byte[] body =
          ProblemBodies.of(ProblemType.PAYLOAD_TOO_LARGE, tooLarge(maxBytes))
              .getBytes(StandardCharsets.UTF_8);
      response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
      response.setContentType(ProblemBodies.MEDIA_TYPE);
      // The unread body is not worth draining: the client is told to stop sending it.
      response.setHeader("Connection", "close");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      return;
    }
    chain.doFilter(new BoundedRequest(request, maxBytes), response);
  }

  private static final class BoundedRequest extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    BoundedRequest(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new BoundedStream(super.getInputStream(), maxBytes);
      }
      return stream;
    }
  }

  private static final class BoundedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    BoundedStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws RequestTooLargeException {
      read += n;
      if (read > maxBytes) {
        throw new RequestTooLargeException(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
