package io.auditgate.controlplane.inventory.discovery;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The outcome of scanning one TLS endpoint. */
public sealed interface ScanResult {
  TlsEndpoint endpoint();

  Instant at();

  /**
   * The endpoint completed a handshake and presented a chain, now recorded in the inventory.
   *
   * @param chainSha256 the presented chain, leaf first
   * @param leafNotAfter the leaf's expiry
   */
  record Scanned(
      TlsEndpoint endpoint,
      Instant at,
      String protocol,
      String cipherSuite,
      List<String> chainSha256,
      Instant leafNotAfter)
      implements ScanResult {
    public Scanned {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(cipherSuite, "cipherSuite");
      chainSha256 = List.copyOf(chainSha256);
      Objects.requireNonNull(leafNotAfter, "leafNotAfter");
    }
  }

  /** The scan failed; {@code reason} says how, {@code message} the detail. */
  record Failed(TlsEndpoint endpoint, Instant at, Reason reason, String message)
      implements ScanResult {
    public Failed {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Why a scan failed. */
  enum Reason {
    UNKNOWN_HOST,
    REFUSED,
    TIMEOUT,
    HANDSHAKE_FAILED,
    NO_CERTIFICATE,
    IO_ERROR;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
