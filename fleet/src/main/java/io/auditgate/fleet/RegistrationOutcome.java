package io.auditgate.fleet;

import java.util.Objects;

/** What a single registration did. */
public sealed interface RegistrationOutcome {
  /**
   * Written.
   *
   * @param created whether the entity is new to the registry (else an existing one was updated)
   */
  record Registered(String id, boolean created) implements RegistrationOutcome {
    public Registered {
      Objects.requireNonNull(id, "id");
    }
  }

  /** Not written, for a reason in the input (for example an unknown profile). */
  record Refused(String id, ImportError.Reason reason, String message)
      implements RegistrationOutcome {
    public Refused {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
