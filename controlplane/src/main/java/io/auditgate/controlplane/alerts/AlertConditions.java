package io.auditgate.controlplane.alerts;

import java.time.Instant;
import java.util.List;

/**
 * Where alerts come from: every rule that fires for every certificate at {@code now}. The
 * inventory's posture evaluation implements it.
 *
 * <p>Implementations may block on the store; they are called from the alert evaluation's thread.
 */
@FunctionalInterface
public interface AlertConditions {
  List<AlertCondition> firing(Instant now);
}
