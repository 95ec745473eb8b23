package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A revocation view the test fills by hand. */
final class FakeRevocations implements RevocationView {
  private final Map<String, Revocation> revoked = new ConcurrentHashMap<>();

  void revoke(String sha256, Instant at, String reason) {
    revoked.put(sha256, new Revocation(sha256, at, reason));
  }

  @Override
  public Optional<Revocation> revocation(String sha256) {
    return Optional.ofNullable(revoked.get(sha256));
  }

  @Override
  public List<Revocation> revoked() {
    return List.copyOf(revoked.values());
  }
}
