package io.auditgate.ingest.pipeline;

import io.auditgate.ingest.IngestException;

/**
 * Bytes that should hold an envelope do not. Envelopes are written by {@link EnvelopeCodec} and
 * checked by the log's CRC, so this means a bug or a record of another writer, never device input.
 */
public class UnreadableEnvelopeException extends IngestException {
  public UnreadableEnvelopeException(String message) {
    super(message);
  }

  public UnreadableEnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
