package io.auditgate.sim;

import io.auditgate.sim.SimulationPlan.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The faults that concern one board, asked reading by reading. Faults with a count are used up as
 * readings take them. Not thread-safe: a board's readings are produced one at a time.
 */
final class DeviceFaults {
  private final List<Fault.Stale> stale = new ArrayList<>();
  private final List<Budget> malformed = new ArrayList<>();
  private final List<Budget> wrongTopic = new ArrayList<>();
  private final List<Budget> duplicates = new ArrayList<>();
  private Duration skew = Duration.ZERO;
  private Optional<Fault.BadCertificate> badCertificate = Optional.empty();

  DeviceFaults(String deviceId, List<Fault> faults) {
    for (Fault fault : faults) {
      if (!fault.deviceId().map(deviceId::equals).orElse(false)) {
        continue;
      }
      if (fault instanceof Fault.Stale s) {
        stale.add(s);
      } else if (fault instanceof Fault.Malformed m) {
        malformed.add(new Budget(m.start(), m.count()));
      } else if (fault instanceof Fault.WrongTopic w) {
        wrongTopic.add(new Budget(w.start(), w.count()));
      } else if (fault instanceof Fault.DuplicateResend d) {
        duplicates.add(new Budget(d.start(), d.count()));
      } else if (fault instanceof Fault.ClockSkew c) {
        skew = skew.plus(c.offset());
      } else if (fault instanceof Fault.BadCertificate b) {
        badCertificate = Optional.of(b);
      }
    }
  }

  /** Whether the board is stale at {@code elapsed}. */
  boolean staleAt(Duration elapsed) {
    for (Fault.Stale s : stale) {
      if (elapsed.compareTo(s.start()) >= 0 && elapsed.compareTo(s.start().plus(s.length())) < 0) {
        return true;
      }
    }
    return false;
  }

  boolean takeMalformed(Duration elapsed) {
    return take(malformed, elapsed);
  }

  boolean takeWrongTopic(Duration elapsed) {
    return take(wrongTopic, elapsed);
  }

  boolean takeDuplicate(Duration elapsed) {
    return take(duplicates, elapsed);
  }

  Duration skew() {
    return skew;
  }

  Optional<Fault.BadCertificate> badCertificate() {
    return badCertificate;
  }

  private static boolean take(List<Budget> budgets, Duration elapsed) {
    for (Budget budget : budgets) {
      if (budget.remaining > 0 && elapsed.compareTo(budget.start) >= 0) {
        budget.remaining--;
        return true;
      }
    }
    return false;
  }

  private static final class Budget {
    private final Duration start;
    private int remaining;

    Budget(Duration start, int count) {
      this.start = start;
      this.remaining = count;
    }
  }
}
