package io.auditgate.controlplane.replacement;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link ReplacementWorkflow#advance} did.
 *
 * @param completed old certificates whose replacement completed (old → new)
 * @param blocked old certificates blocked, with the reason
 * @param waiting replacements still waiting for the device
 */
public record AdvanceReport(List<Completed> completed, List<Blocked> blocked, int waiting) {
  public AdvanceReport {
    completed = List.copyOf(completed);
    blocked = List.copyOf(blocked);
  }

  /** A replacement that completed. */
  public record Completed(String oldSha256, String newSha256, String deviceId) {
    public Completed {
      Objects.requireNonNull(oldSha256, "oldSha256");
      Objects.requireNonNull(newSha256, "newSha256");
      Objects.requireNonNull(deviceId, "deviceId");
    }
  }

  /** A replacement that was blocked. */
  public record Blocked(String oldSha256, String reason) {
    public Blocked {
      Objects.requireNonNull(oldSha256, "oldSha256");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
