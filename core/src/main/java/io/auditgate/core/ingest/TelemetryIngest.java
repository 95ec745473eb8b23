package io.auditgate.core.ingest;

import java.util.concurrent.CompletionStage;

/**
 * The one way telemetry enters the gateway, shared by every transport: validate, normalise, append
 * to the write-ahead log, answer.
 *
 * <p>Thread-safety: safe to call from any thread, including network event loops; it never blocks.
 * The returned stage completes on a thread of the log (keep callbacks short or hop to your own
 * executor). It never completes exceptionally for bad input or a full log — those are {@link
 * IngestResult}s; an exceptional completion means a bug or an unexpected failure.
 */
public interface TelemetryIngest {
  CompletionStage<IngestResult> ingest(IngestRequest request);
}
