package io.auditgate.ingest.pipeline;

import io.auditgate.core.config.IngestConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Follows every device's {@code seq} stream and clock: gaps, duplicates, reordering, counter
 * restarts and clock skew ({@link DeviceSequence}). The gateway stores duplicates and out-of-order
 * messages all the same (the store deduplicates on {@code (device_id, seq)}); this is evidence of
 * how devices and networks behave, for the metrics endpoint and the audit.
 *
 * <p><b>Memory is bounded</b>: at most {@code maxDevices} devices are tracked, each costing {@code
 * window / 8} bytes of bits plus roughly 300 bytes of counters, times, map entry and id: about 450
 * bytes with the default window of 1024, some 45 MB for the default 100,000 devices. Beyond that,
 * the device heard from longest ago is forgotten (counted in {@link #forgottenDevices()}); if it
 * returns, it starts afresh, so a gap across its absence is not counted.
 *
 * <p>The first number seen from a device is its start: numbers before it are not counted missing,
 * since the gateway may simply not have been listening.
 *
 * <p><b>Thread-safe</b> through one lock. Each update is constant time (at most {@code window} bits
 * cleared, usually one), so the lock is held far shorter than the log's fsync that precedes every
 * update.
 */
public final class SeqTracker {

  /** How one message's {@code seq} relates to what came before it from the same device. */
  public enum Observation {
    /** The first {@code seq} from a device being tracked. */
    FIRST,
    /** One more than the highest so far. */
    NEXT,
    /** More than one above the highest so far: numbers between are missing. */
    GAP,
    /** Seen before, within the window. */
    DUPLICATE,
    /** Below the highest, within the window and not seen before: a late arrival. */
    REORDERED,
    /** 0 or 1, far below the highest: the device restarted its counter. */
    RESTART,
    /** Too far below the highest to tell. */
    BEYOND_WINDOW,
    /** The message carried no {@code seq}. */
    NO_SEQ
  }

  private final int window;
  private final int maxDevices;
  // Insertion order, refreshed on update by remove-and-put: the eldest entry is the device heard
  // from longest ago, while reading a snapshot does not count as hearing from it.
  private final LinkedHashMap<String, SequenceState> devices;
  private long forgotten;

  /**
   * @param window numbers remembered per device below its highest; a power of two, at least 64
   * @param maxDevices devices tracked at most
   */
  public SeqTracker(int window, int maxDevices) {
    if (window < 64 || Integer.bitCount(window) != 1) {
      throw new IllegalArgumentException("window must be a power of two >= 64, got " + window);
    }
    if (maxDevices < 1) {
      throw new IllegalArgumentException("maxDevices must be positive, got " + maxDevices);
    }
    this.window = window;
    this.maxDevices = maxDevices;
    this.devices =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, SequenceState> eldest) {
            if (size() <= SeqTracker.this.maxDevices) {
              return false;
            }
            forgotten++;
            return true;
          }
        };
  }

  public static SeqTracker of(IngestConfig config) {
    return new SeqTracker(config.seqWindow(), config.maxTrackedDevices());
  }

  /** Notes one stored message from {@code deviceId} and says how its {@code seq} fits. */
  public synchronized Observation record(
      String deviceId, OptionalLong seq, Optional<Instant> deviceTime, Instant receivedAt) {
    SequenceState state = devices.remove(deviceId);
    if (state == null) {
      state = new SequenceState(window);
    }
    devices.put(deviceId, state);
    return state.observe(seq, deviceTime, receivedAt);
  }

  /** The device's state, if it is tracked. */
  public synchronized Optional<DeviceSequence> device(String deviceId) {
    return Optional.ofNullable(devices.get(deviceId)).map(state -> state.snapshot(deviceId));
  }

  /** Every tracked device's state, by device id. */
  public synchronized List<DeviceSequence> devices() {
    List<DeviceSequence> all = new ArrayList<>(devices.size());
    devices.forEach((id, state) -> all.add(state.snapshot(id)));
    all.sort(Comparator.comparing(DeviceSequence::deviceId));
    return all;
  }

  public synchronized int trackedDevices() {
    return devices.size();
  }

  /** Devices forgotten to stay within the bound. */
  public synchronized long forgottenDevices() {
    return forgotten;
  }
}
