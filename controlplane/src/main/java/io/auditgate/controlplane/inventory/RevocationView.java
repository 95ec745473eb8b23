package io.auditgate.controlplane.inventory;

import java.util.List;
import java.util.Optional;

/**
 * What the inventory needs to know about revocation; the revocation component (issue 6 slice C)
 * implements it, the app wires it. The inventory never decides revocation itself.
 *
 * <p>Implementations must be thread-safe. Both methods may block on the database; they must not
 * throw for an unknown certificate (that is simply not revoked).
 */
public interface RevocationView {
  /** The certificate's revocation, if it is revoked. */
  Optional<Revocation> revocation(String sha256);

  /** Every revoked certificate (the posture summary and lists join against it). */
  List<Revocation> revoked();

  /** A view in which nothing is revoked: until revocation is wired, and for tests. */
  RevocationView NONE =
      new RevocationView() {
        @Override
        public Optional<Revocation> revocation(String sha256) {
          return Optional.empty();
        }

        @Override
        public List<Revocation> revoked() {
          return List.of();
        }
      };
}
