package io.auditgate.store.internal;

import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.store.StoreRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A batch decoded part by part, so that the writer can send the rows of the first parts while the
 * later ones are still being read: with a helper, the first half on the caller {@link #PART}
 * records at a time and the second half at once on the helper meanwhile. Either way {@link #all} is
 * the batch {@link DecodedBatch#decode} would give.
 *
 * <p>Not thread-safe: one caller, which may hand the codecs' work for the second half to the helper
 * (the codecs are thread-safe).
 */
public final class BatchDecoding {
  /** Records per part decoded on the caller: rows worth ~150 KB for the server to chew on. */
  static final int PART = 500;

  private final List<StoreRecord> records;
  private final EnvelopeCodec envelopes;
  private final GatewayEventCodec gatewayEvents;
  private final int firstHalfEnd;
  private final CompletableFuture<DecodedBatch> secondHalf;
  private final List<DecodedBatch> parts = new ArrayList<>();
  private int next; // the first record not decoded yet
  private int returned; // parts returned by next()
  private boolean secondHalfTaken;
  private DecodedBatch all;

  /**
   * Starts decoding {@code records}: the second half on {@code helper} right away; without a helper
   * (null), everything on the caller.
   */
  public BatchDecoding(
      List<StoreRecord> records,
      EnvelopeCodec envelopes,
      GatewayEventCodec gatewayEvents,
      Executor helper) {
    this.records = records;
    this.envelopes = envelopes;
    this.gatewayEvents = gatewayEvents;
    if (helper == null) {
      firstHalfEnd = records.size();
      secondHalf = null;
    } else {
      firstHalfEnd = records.size() / 2;
      secondHalf =
          CompletableFuture.supplyAsync(
              () ->
                  DecodedBatch.decode(
                      records, firstHalfEnd, records.size(), envelopes, gatewayEvents),
              helper);
    }
  }

  private BatchDecoding(DecodedBatch decoded) {
    this.records = List.of();
    this.envelopes = null;
    this.gatewayEvents = null;
    this.firstHalfEnd = 0;
    this.secondHalf = CompletableFuture.completedFuture(decoded);
  }

  /** A batch decoded already, as one part: to write it again. */
  public static BatchDecoding of(DecodedBatch decoded) {
    return new BatchDecoding(decoded);
  }

  /** The next part in record order, or null when every part was returned. */
  public DecodedBatch next() {
    if (returned == parts.size() && !decodeOne()) {
      return null;
    }
    return parts.get(returned++);
  }

  /** Whether every part has been returned: {@link #all} then costs nothing more. */
  public boolean isDone() {
    return decodedAll() && returned == parts.size();
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

  private boolean decodedAll() {
    return next >= firstHalfEnd && (secondHalf == null || secondHalfTaken);
  }

  /** Decodes the next part into {@link #parts}; false when there is none. */
  private boolean decodeOne() {
    if (next < firstHalfEnd) {
      int to = Math.min(next + PART, firstHalfEnd);
      parts.add(DecodedBatch.decode(records, next, to, envelopes, gatewayEvents));
      next = to;
      return true;
    }
    if (secondHalf != null && !secondHalfTaken) {
      secondHalfTaken = true;
      parts.add(join(secondHalf));
      return true;
    }
    return false;
  }

  private static DecodedBatch join(CompletableFuture<DecodedBatch> half) {
    try {
      return half.join();
    } catch (CompletionException e) {
      // Decoding turns what it cannot read into poison; anything else is a bug: surface it.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
