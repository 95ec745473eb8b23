package io.auditgate.controlplane.inventory;

import java.util.Locale;
import java.util.Optional;

/** Where a certificate was seen. */
public enum SourceKind {
  /** Presented by a client at the MQTT listener. */
  LISTENER_MQTT,
  /** Presented by a client at the HTTPS ingest listener. */
  LISTENER_HTTPS,
  /** Presented by a TLS endpoint the scanner connected to. */
  ENDPOINT,
  /** Read from a PEM or DER file. */
  FILE,
  /** Read from a PKCS#12 or JKS keystore. */
  KEYSTORE,
  /** Issued by the control plane's CA. */
  ISSUED,
  /** Part of a configured trust bundle. */
  TRUST_BUNDLE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isListener() {
    return this == LISTENER_MQTT || this == LISTENER_HTTPS;
  }

  public static Optional<SourceKind> ofLabel(String label) {
    for (SourceKind k : values()) {
      if (k.label().equals(label)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
