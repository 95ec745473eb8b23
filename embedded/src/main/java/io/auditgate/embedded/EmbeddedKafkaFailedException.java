package io.auditgate.embedded;

import io.auditgate.core.AuditgateException;

/** The embedded Kafka broker could not be prepared, started or kept running. */
public class EmbeddedKafkaFailedException extends AuditgateException {
  public EmbeddedKafkaFailedException(String message) {
    super(message);
  }

  public EmbeddedKafkaFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
