package io.auditgate.core.sink;

import java.util.List;
import java.util.Objects;

/** How far one {@link TelemetrySink#deliver} call got. */
public sealed interface Delivery {
  /**
   * Every record offered is done: durably accepted by the sink, or listed in {@code rejected}
   * because the sink can never accept it (the dispatcher dead-letters those with their reason).
   */
  record Delivered(List<Rejection> rejected) implements Delivery {
    public Delivered {
      rejected = List.copyOf(rejected);
    }

    public static Delivered all() {
      return new Delivered(List.of());
    }
  }

  /**
   * The sink stopped before the end for a reason that may pass (broker or database unreachable,
   * timeout). Records before {@code resumeOffset} are done as in {@link Delivered}, including the
   * {@code rejected} among them; the dispatcher retries from {@code resumeOffset} after a backoff.
   */
  record Interrupted(long resumeOffset, List<Rejection> rejected, String reason)
      implements Delivery {
    public Interrupted {
      if (resumeOffset < 0) {
        throw new IllegalArgumentException("resumeOffset must be >= 0, got " + resumeOffset);
      }
      rejected = List.copyOf(rejected);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A record the sink can never accept, with a reason code for the dead-letter log. */
  record Rejection(long offset, String reasonCode, String detail) {
    public Rejection {
      Objects.requireNonNull(reasonCode, "reasonCode");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
