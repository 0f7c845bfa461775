package dev.sandbar.api.edge;

import dev.sandbar.api.problem.ProblemBodies;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report, as problem+json instead of an HTML page. Tomcat answers some requests
 * itself before any servlet runs (an encoded slash or NUL in the path, a malformed URI), so
 * Spring's error handling never sees them; this valve gives them the API's one error shape.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  public ProblemErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    String detail =
        status == 400
            ? "the request's URI or headers are malformed"
            : status >= 500 ? "request failed" : "the request was refused";
    try {
      response.setContentType(ProblemBodies.MEDIA_TYPE);
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(ProblemBodies.forStatus(status, detail));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response is committed: nothing more can be said.
    }
  }
}
