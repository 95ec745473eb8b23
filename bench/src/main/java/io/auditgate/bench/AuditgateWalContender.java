package io.auditgate.bench;

import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalMetrics;
import io.auditgate.wal.SegmentedWal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletionException;

/** auditgate's own write-ahead log ({@link SegmentedWal}) with its default settings. */
final class AuditgateWalContender implements Contender {
  static final String NAME = "auditgate";

  private final WalConfig config;
  private SegmentedWal wal;

  AuditgateWalContender() {
    this(WalConfig.defaults());
  }

  AuditgateWalContender(WalConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void open(Path dir) {
    wal = SegmentedWal.open(dir, config, Clock.systemUTC(), WalListener.NONE);
  }

  @Override
  public void appendDurably(byte[] body) throws Exception {
    AppendOutcome outcome = wal.append(RecordTypes.TELEMETRY, body);
    if (outcome instanceof AppendOutcome.Accepted accepted) {
      try {
        accepted.durable().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    } else {
      AppendOutcome.Refused refused = (AppendOutcome.Refused) outcome;
      throw new IllegalStateException(
          "append refused (" + refused.reason() + "): " + refused.message());
    }
  }

  @Override
  public CommitCounters counters() {
    WalMetrics metrics = wal.metrics();
    return new CommitCounters(metrics.appendedRecords(), metrics.batches());
  }

  @Override
  public void close() {
    if (wal != null) {
      wal.close();
    }
  }
}
