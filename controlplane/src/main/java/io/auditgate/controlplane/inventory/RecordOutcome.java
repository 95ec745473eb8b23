package io.auditgate.controlplane.inventory;

import java.util.List;

/**
 * What recording a chain did.
 *
 * @param sha256s every certificate of the chain, leaf first
 * @param added those the inventory did not know before
 */
public record RecordOutcome(List<String> sha256s, List<String> added) {
  public RecordOutcome {
    sha256s = List.copyOf(sha256s);
    added = List.copyOf(added);
  }
}
