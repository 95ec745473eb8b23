package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.net.URI;
import java.util.Optional;

/**
 * Section {@code tracing}: OpenTelemetry spans for each message's stages (ingest, dispatch, store),
 * exported over OTLP/HTTP (protobuf). Off unless {@code otlp_endpoint} is set.
 *
 * @param otlpEndpoint the collector's traces URL, for example {@code
 *     http://otel-collector:4318/v1/traces}; absent = tracing off
 * @param sampleRatio the share of messages traced, 0 to 1 (default 1). The decision is taken from
 *     the message's trace id, so every stage in every process makes the same one
 * @param serviceName the {@code service.name} resource attribute; default {@code auditgate}
 */
public record TracingConfig(Optional<String> otlpEndpoint, Double sampleRatio, String serviceName) {
  public TracingConfig {
    otlpEndpoint = orDefault(otlpEndpoint, Optional.<String>empty()).filter(s -> !s.isBlank());
    otlpEndpoint.ifPresent(TracingConfig::checkEndpoint);
    sampleRatio = orDefault(sampleRatio, 1.0);
    Check.that(
        sampleRatio >= 0 && sampleRatio <= 1,
        "sample_ratio",
        "must be between 0 and 1, got " + sampleRatio);
    serviceName =
        Check.matches(
            "service_name", orDefault(serviceName, "auditgate"), "^[A-Za-z0-9._-]{1,64}$");
  }

  private static void checkEndpoint(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("otlp_endpoint", "is not a URL: " + endpoint);
    }
    Check.that(
        ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null,
        "otlp_endpoint",
        "must be an http:// or https:// URL such as http://collector:4318/v1/traces, got "
            + endpoint);
  }

  /** Whether spans are exported at all. */
  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }

  public static TracingConfig defaults() {
    return new TracingConfig(null, null, null);
  }

  /** Tracing to {@code endpoint} with every message sampled. */
  public static TracingConfig to(String endpoint) {
    return new TracingConfig(Optional.of(endpoint), null, null);
  }
}
