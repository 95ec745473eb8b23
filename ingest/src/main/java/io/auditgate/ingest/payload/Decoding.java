package io.auditgate.ingest.payload;

import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.telemetry.Telemetry;
import java.util.Objects;

/** What reading a message body produced: telemetry, or the reason it was refused. */
public sealed interface Decoding {

  /** The body was valid; this is what it says. */
  record Valid(Telemetry telemetry) implements Decoding {
    public Valid {
      Objects.requireNonNull(telemetry, "telemetry");
    }
  }

  /**
   * The body was refused.
   *
   * @param reason the stable reason code
   * @param message what is wrong, for the device's developer: names the field and what was found
   */
  record Invalid(IngestResult.Reason reason, String message) implements Decoding {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
