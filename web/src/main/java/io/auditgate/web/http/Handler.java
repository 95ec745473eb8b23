package io.auditgate.web.http;

/**
 * Answers a request. Runs on a worker thread and may block (on the database); throws {@link
 * ApiProblem} for expected refusals; anything else becomes a 500 without details.
 */
@FunctionalInterface
public interface Handler {
  Response handle(Request request);
}
