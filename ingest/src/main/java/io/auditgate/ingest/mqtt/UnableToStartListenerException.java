package io.auditgate.ingest.mqtt;

import io.auditgate.core.AuditgateException;

/** The MQTT listener could not bind its address (in use, not local, not permitted). */
public class UnableToStartListenerException extends AuditgateException {
  public UnableToStartListenerException(String message, Throwable cause) {
    super(message, cause);
  }
}
