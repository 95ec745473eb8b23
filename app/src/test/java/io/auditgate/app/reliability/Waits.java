package io.auditgate.app.reliability;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Bounded waits on real time: poll a probe until it shows what the test waits for, or fail with
 * what it showed last. A probe that throws (the database is down, Kafka is restarting) counts as
 * "not yet".
 */
final class Waits {
  private static final long POLL_MILLIS = 100;

  private Waits() {}

  /** Polls {@code probe} until {@code done} accepts its value; returns that value. */
  static <T> T until(String what, Duration timeout, Callable<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Exception failure = null;
    while (true) {
      try {
        last = probe.call();
        failure = null;
        if (done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        failure = e;
      }
      if (System.nanoTime() >= deadline) {
        AssertionError error =
            new AssertionError(
                what
                    + ": not within "
                    + timeout
                    + (failure != null
                        ? "; last attempt failed: " + failure
                        : "; last seen: " + last));
        if (failure != null) {
          error.initCause(failure);
        }
        throw error;
      }
      sleep(POLL_MILLIS);
    }
  }

  /** Polls {@code condition} until it holds. */
  static void until(String what, Duration timeout, Callable<Boolean> condition) {
    until(what, timeout, condition, Boolean.TRUE::equals);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
