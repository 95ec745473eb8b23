package io.auditgate.envelope;

import io.auditgate.core.AuditgateException;

/**
 * Bytes that should hold an envelope do not. Envelopes are written by {@link EnvelopeCodec} and
 * checked by the log's CRC, so this means a bug or a record of another writer, never device input.
 */
public class UnreadableEnvelopeException extends AuditgateException {
  public UnreadableEnvelopeException(String message) {
    super(message);
  }

  public UnreadableEnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
