package io.auditgate.web.tokens;

import java.util.Objects;

/**
 * A token just created: the only moment its secret exists outside the client.
 *
 * @param token the stored record
 * @param secret the token string to hand over once ({@code agt_...})
 */
public record IssuedToken(ApiToken token, String secret) {
  public IssuedToken {
    Objects.requireNonNull(token, "token");
    if (!TokenSecret.wellFormed(secret)) {
      throw new IllegalArgumentException("secret is not an agt_ token");
    }
  }

  @Override
  public String toString() {
    return "IssuedToken[token=" + token + ", secret=<redacted>]";
  }
}
