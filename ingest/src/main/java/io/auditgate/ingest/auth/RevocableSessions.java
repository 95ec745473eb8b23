package io.auditgate.ingest.auth;

import java.util.Objects;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * A listener's open sessions as the revocation sweep sees them.
 *
 * @param listener the listener's name in metrics ({@code mqtt}, {@code https})
 * @param dropRevoked closes the sessions whose client certificate the check says is revoked and
 *     answers how many ({@code MqttListener::dropRevoked}, {@code HttpIngestServer::dropRevoked});
 *     must not block
 */
public record RevocableSessions(String listener, ToIntFunction<RevocationCheck> dropRevoked) {
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");

  public RevocableSessions {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(dropRevoked, "dropRevoked");
    if (!NAME.matcher(listener).matches()) {
      throw new IllegalArgumentException("listener must match " + NAME + ", got " + listener);
    }
  }
}
