package io.auditgate.controlplane.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where alert notifications go.
 *
 * @param url the receiver; {@code https} unless {@code allowPlaintext}
 * @param secret the HMAC key the receiver shares, at least 16 bytes
 * @param tls the trust for the receiver's certificate; empty means the JDK's default trust store
 * @param timeout per request, 1 s .. 5 min
 * @param allowPlaintext the explicit opt-in to {@code http} (the audit flags it)
 */
public record WebhookTarget(
    URI url, byte[] secret, Optional<SSLContext> tls, Duration timeout, boolean allowPlaintext) {
  public WebhookTarget {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowPlaintext && scheme.equals("http"))) {
      throw new IllegalArgumentException(
          "webhook url must be https (http only with allow_plaintext): " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("webhook url has no host: " + url);
    }
    if (secret.length < 16) {
      throw new IllegalArgumentException("webhook secret must be at least 16 bytes");
    }
    secret = secret.clone();
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("webhook timeout must be 1 s .. 5 min: " + timeout);
    }
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "WebhookTarget[" + url + "]"; // never the secret
  }
}
