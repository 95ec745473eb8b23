package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Section {@code certificates.alerts}: how often a node with a store evaluates the certificate
 * alert rules, and the optional signed webhook the alerts are sent to. Design notes:
 * docs/certificates-alerts.md and docs/certificates-wiring.md.
 *
 * @param evaluateInterval how often the rules are evaluated; default 1 min, 1 s to 1 d
 * @param webhook where raised and resolved alerts are POSTed; absent (no {@code url}) means alerts
 *     are kept, counted and shown, but sent nowhere
 */
public record CertificateAlertsConfig(Duration evaluateInterval, Webhook webhook) {
  public CertificateAlertsConfig {
    evaluateInterval =
        between(
            "evaluate_interval",
            orDefault(evaluateInterval, Duration.ofMinutes(1)),
            Duration.ofSeconds(1),
            Duration.ofDays(1));
    webhook = orDefault(webhook, Webhook.defaults());
  }

  public static CertificateAlertsConfig defaults() {
    return new CertificateAlertsConfig(null, null);
  }

  /** The same with {@code evaluate_interval} set. */
  public CertificateAlertsConfig withEvaluateInterval(Duration every) {
    return new CertificateAlertsConfig(every, webhook);
  }

  /** The same with {@code webhook} set. */
  public CertificateAlertsConfig withWebhook(Webhook hook) {
    return new CertificateAlertsConfig(evaluateInterval, hook);
  }

  /**
   * Subsection {@code certificates.alerts.webhook}.
   *
   * @param url the receiver; https, or http only with {@code allow_plaintext}; unset: no webhook
   * @param secretFile the HMAC secret's file (first line, at least 16 bytes); required with {@code
   *     url}. Never inline: configuration is printed and copied around
   * @param trustFile PEM anchors for the receiver's certificate; default: the JDK's trust store
   * @param allowPlaintext the explicit opt-in to an http url; default false
   * @param timeout per request; default 10 s, 1 s to 5 min
   * @param maxAttempts attempts before a notification is given up; default 10, 1 to 1000
   */
  public record Webhook(
      String url,
      Path secretFile,
      Path trustFile,
      Boolean allowPlaintext,
      Duration timeout,
      Integer maxAttempts) {
    public Webhook {
      allowPlaintext = orDefault(allowPlaintext, false);
      if (url != null) {
        URI uri;
        try {
          uri = URI.create(url);
        } catch (IllegalArgumentException e) {
          throw new ConfigException("url", "is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Check.that(
            uri.getHost() != null && (scheme.equals("https") || scheme.equals("http")),
            "url",
            "must be an https URL with a host, got '" + url + "'");
        Check.that(
            scheme.equals("https") || allowPlaintext,
            "url",
            "must be https (set webhook.allow_plaintext: true to send alerts over plain http)");
        Check.that(
            secretFile != null,
            "secret_file",
            "is required with webhook.url: the file holding the HMAC secret");
      }
      timeout =
          between(
              "timeout",
              orDefault(timeout, Duration.ofSeconds(10)),
              Duration.ofSeconds(1),
              Duration.ofMinutes(5));
      maxAttempts = orDefault(maxAttempts, 10);
      Check.that(
          maxAttempts >= 1 && maxAttempts <= 1000,
          "max_attempts",
          "must be 1..1000, got " + maxAttempts);
    }

    public static Webhook defaults() {
      return new Webhook(null, null, null, null, null, null);
    }

    public Optional<URI> optionalUrl() {
      return Optional.ofNullable(url).map(URI::create);
    }

    public Optional<Path> optionalTrustFile() {
      return Optional.ofNullable(trustFile);
    }
  }
}
