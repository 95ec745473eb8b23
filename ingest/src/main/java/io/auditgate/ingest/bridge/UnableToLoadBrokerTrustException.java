package io.auditgate.ingest.bridge;

import io.auditgate.core.AuditgateException;
import java.nio.file.Path;

/** The bridge's {@code trust_file} could not be turned into trust anchors. */
public class UnableToLoadBrokerTrustException extends AuditgateException {
  public UnableToLoadBrokerTrustException(Path file, String problem, Throwable cause) {
    super("cannot load the broker's trust anchors from " + file + ": " + problem, cause);
  }
}
