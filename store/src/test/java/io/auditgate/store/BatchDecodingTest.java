package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.store.internal.BatchDecoding;
import io.auditgate.store.internal.DecodedBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding part by part gives the batch that decoding it whole gives, in the same order. */
class BatchDecodingTest {
  @Test
  void partsInOrderMakeTheWholeBatchAndAllDoesNotMoveNext() {
    List<StoreRecord> records = new ArrayList<>();
    for (int i = 0; i < 1_234; i++) {
      records.add(
          i % 97 == 5
              ? Records.garbage("gw-1", i)
              : Records.withSeq("gw-1", i, "dev-" + (i % 7), i, T0.plusMillis(i)));
    }
    DecodedBatch whole = DecodedBatch.decode(records, Records.ENVELOPES, Records.EVENTS);

    BatchDecoding decoding = new BatchDecoding(records, Records.ENVELOPES, Records.EVENTS);
    DecodedBatch first = decoding.next();
    assertThat(first.messages().size() + first.poison().size()).isEqualTo(BatchDecoding.PART);
    // all() decodes the rest; next() still hands out every part after the first, in order
    assertThat(decoding.all()).isEqualTo(whole);
    List<DecodedBatch> parts = new ArrayList<>(List.of(first));
    for (DecodedBatch part = decoding.next(); part != null; part = decoding.next()) {
      parts.add(part);
    }

    assertThat(parts).hasSize(3);
    assertThat(DecodedBatch.concat(parts)).isEqualTo(whole);
    assertThat(whole.poison()).extracting(WriteOutcome.Poison::index).startsWith(5, 102);
  }

  @Test
  void aDecodedBatchIsOnePart() {
    DecodedBatch batch =
        DecodedBatch.decode(
            List.of(Records.withSeq("gw-1", 0, "dev-1", 1, T0)), Records.ENVELOPES, Records.EVENTS);

    BatchDecoding decoding = BatchDecoding.of(batch);

    assertThat(decoding.next()).isSameAs(batch);
    assertThat(decoding.next()).isNull();
    assertThat(decoding.all()).isSameAs(batch);
  }
}
