package io.auditgate.controlplane.inventory;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The renewal workflow of one certificate. A certificate without a workflow row is {@link
 * #NOT_STARTED}. {@link #COMPLETED} is final; {@link #BLOCKED} needs a reason.
 */
public enum RenewalState {
  NOT_STARTED,
  PLANNED,
  IN_PROGRESS,
  COMPLETED,
  BLOCKED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The states this one may move to. */
  public Set<RenewalState> next() {
    return switch (this) {
      case NOT_STARTED -> EnumSet.of(PLANNED, IN_PROGRESS, BLOCKED);
      case PLANNED -> EnumSet.of(NOT_STARTED, IN_PROGRESS, BLOCKED);
      case IN_PROGRESS -> EnumSet.of(COMPLETED, BLOCKED, PLANNED);
      case BLOCKED -> EnumSet.of(NOT_STARTED, PLANNED, IN_PROGRESS);
      case COMPLETED -> EnumSet.noneOf(RenewalState.class);
    };
  }

  public static Optional<RenewalState> ofLabel(String label) {
    for (RenewalState s : values()) {
      if (s.label().equals(label)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
