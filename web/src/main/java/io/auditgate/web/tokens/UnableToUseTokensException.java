package io.auditgate.web.tokens;

/** The token table could not be read or written (the database is down or the schema is old). */
public final class UnableToUseTokensException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnableToUseTokensException(String message, Throwable cause) {
    super(message, cause);
  }
}
