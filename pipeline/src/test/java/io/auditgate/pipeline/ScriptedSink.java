package io.auditgate.pipeline;

import io.auditgate.core.sink.Delivery;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.wal.WalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A hand-written sink whose answer to each batch a test decides: by default it accepts everything.
 * It records every offer and every offset it counted as accepted, so tests can check that nothing
 * was skipped and what was resent.
 */
class ScriptedSink implements TelemetrySink {
  private final String name;
  private volatile Function<List<WalRecord>, Delivery> behaviour =
      batch -> Delivery.Delivered.all();
  final List<List<Long>> offers = new CopyOnWriteArrayList<>();
  final List<Long> accepted = new CopyOnWriteArrayList<>();
  final AtomicInteger closes = new AtomicInteger();

  ScriptedSink(String name) {
    this.name = name;
  }

  /** Answers every later batch with {@code next}. */
  ScriptedSink behave(Function<List<WalRecord>, Delivery> next) {
    this.behaviour = next;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Delivery deliver(List<WalRecord> records) {
    List<Long> offsets = new ArrayList<>();
    records.forEach(r -> offsets.add(r.offset()));
    offers.add(offsets);
    Delivery outcome = behaviour.apply(records);
    long doneBelow =
        outcome instanceof Delivery.Interrupted cut ? cut.resumeOffset() : Long.MAX_VALUE;
    List<Long> rejected = new ArrayList<>();
    List<Delivery.Rejection> rejections =
        outcome instanceof Delivery.Interrupted cut
            ? cut.rejected()
            : outcome instanceof Delivery.Delivered done ? done.rejected() : List.of();
    rejections.forEach(r -> rejected.add(r.offset()));
    for (Long offset : offsets) {
      if (offset < doneBelow && !rejected.contains(offset)) {
        accepted.add(offset);
      }
    }
    return outcome;
  }

  int offerCount() {
    return offers.size();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
