package io.auditgate.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A board's HTTPS client: every message is one {@code POST /v1/ingest/{id}}. Only 202 (stored
 * durably) acknowledges; 400 (rejected), 401/403 (authentication), 503 (busy) and every other
 * answer count as failed, and nothing is resent, so that a run reconciles exactly against the log.
 * There is no connection to open or close: the {@link HttpClient} keeps its own. Thread-safe.
 */
final class HttpsLink implements Link {
  private static final Logger log = LoggerFactory.getLogger(HttpsLink.class);

  private final String boardId;
  private final HttpClient client;
  private final URI base;
  private final Optional<String> bearerToken;
  private final Duration timeout;

  /**
   * @param client carries the board's TLS identity, if it has one
   * @param base {@code https://host:port}
   * @param bearerToken sent as {@code Authorization: Bearer}, if present
   * @param timeout for each request, from sending it to the answer
   */
  HttpsLink(
      String boardId, HttpClient client, URI base, Optional<String> bearerToken, Duration timeout) {
    this.boardId = boardId;
    this.client = client;
    this.base = base;
    this.bearerToken = bearerToken;
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<?> connect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Outcome> send(String deviceId, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(SimulationPlan.ingestPath(deviceId)))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() == 202) {
                return Outcome.ACKNOWLEDGED;
              }
              log.debug(
                  "simulation: board {} posting to {} got {} {}",
                  boardId,
                  deviceId,
                  response.statusCode(),
                  response.body());
              return Outcome.FAILED;
            });
  }
}
