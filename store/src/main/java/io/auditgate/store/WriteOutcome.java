package io.auditgate.store;

import java.util.List;
import java.util.Objects;

/** What {@link StoreWriter#write} did with a batch. */
public sealed interface WriteOutcome {
  /**
   * The batch is committed: {@code stored} records were new, {@code duplicates} were already in the
   * store (or twice in the batch) and were skipped, and the {@code poison} ones can never be stored
   * and were not. {@code stored + duplicates + poison.size()} is the batch size.
   */
  record Written(int stored, int duplicates, List<Poison> poison) implements WriteOutcome {
    public Written {
      if (stored < 0 || duplicates < 0) {
        throw new IllegalArgumentException(
            "counts must be >= 0, got " + stored + " stored, " + duplicates + " duplicates");
      }
      poison = List.copyOf(poison);
    }
  }

  /**
   * The database is unreachable or refused for a reason that may pass (restart, timeout, deadlock):
   * write the same batch again later. The batch may be partially committed: usually nothing of it
   * is, but when the writer was going through it record by record (after the database refused the
   * data of one) the records before the failure are. Retrying is safe because the merge is
   * idempotent: what is already stored comes back as a duplicate. Counts of a retry therefore say
   * what that attempt added, not what the batch brought.
   */
  record Unavailable(String reason) implements WriteOutcome {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A record the store can never hold.
   *
   * @param index its position in the batch
   * @param reasonCode {@code unreadable_envelope}, {@code unknown_record_type} or {@code
   *     rejected_by_database}
   * @param detail what was wrong, for the dead-letter record
   */
  record Poison(int index, String reasonCode, String detail) {
    public Poison {
      Objects.requireNonNull(reasonCode, "reasonCode");
      Objects.requireNonNull(detail, "detail");
      if (index < 0) {
        throw new IllegalArgumentException("index must be >= 0, got " + index);
      }
    }
  }
}
