package io.auditgate.store.internal;

import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.store.StoreRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch decoded part by part, {@link #PART} records at a time, so that the writer can send the
 * rows of the first parts while the later ones are still being read. {@link #all} is the batch
 * {@link DecodedBatch#decode} would give.
 *
 * <p>Not thread-safe.
 */
public final class BatchDecoding {
  /** Records per part: rows worth ~150 KB for the server to chew on while the next is read. */
  public static final int PART = 500;

  private final List<StoreRecord> records;
  private final EnvelopeCodec envelopes;
  private final GatewayEventCodec gatewayEvents;
  private final List<DecodedBatch> parts = new ArrayList<>();
  private int decoded; // records decoded so far
  private int returned; // parts returned by next()
  private DecodedBatch all;

  public BatchDecoding(
      List<StoreRecord> records, EnvelopeCodec envelopes, GatewayEventCodec gatewayEvents) {
    this.records = records;
    this.envelopes = envelopes;
    this.gatewayEvents = gatewayEvents;
  }

  /** A batch decoded already, as one part: to write it again. */
  public static BatchDecoding of(DecodedBatch batch) {
    BatchDecoding decoding = new BatchDecoding(List.of(), null, null);
    decoding.parts.add(batch);
    return decoding;
  }

  /** The next part in record order, or null when every part was returned. */
  public DecodedBatch next() {
    if (returned == parts.size() && !decodeOne()) {
      return null;
    }
    return parts.get(returned++);
  }

  /** The whole batch, decoding what is left first; does not move {@link #next}. */
  public DecodedBatch all() {
    if (all == null) {
      while (decodeOne()) {
        // decode the rest
      }
      all = DecodedBatch.concat(parts);
    }
    return all;
  }

  /** Decodes the next part into {@link #parts}; false when there is none. */
  private boolean decodeOne() {
    if (decoded == records.size()) {
      return false;
    }
    int to = Math.min(decoded + PART, records.size());
    parts.add(DecodedBatch.decode(records, decoded, to, envelopes, gatewayEvents));
    decoded = to;
    return true;
  }
}
