package io.auditgate.wal;

import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event the log delivers, in order; safe to read while the writer thread adds. */
final class RecordingListener implements WalListener {
  private final List<WalEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void on(WalEvent event) {
    events.add(event);
  }

  List<WalEvent> events() {
    return List.copyOf(events);
  }

  <T extends WalEvent> List<T> eventsOf(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
