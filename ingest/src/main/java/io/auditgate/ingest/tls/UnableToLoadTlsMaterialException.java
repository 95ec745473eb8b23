package io.auditgate.ingest.tls;

import io.auditgate.core.AuditgateException;
import java.nio.file.Path;

/**
 * A certificate or key file cannot be used: missing, not PEM, not PKCS#8, encrypted without a
 * password, a wrong password, or a key that does not belong to its certificate. {@link #problem()}
 * says which, in words an operator can act on.
 */
public class UnableToLoadTlsMaterialException extends AuditgateException {
  private final Path file;
  private final String problem;

  public UnableToLoadTlsMaterialException(Path file, String problem) {
    this(file, problem, null);
  }

  public UnableToLoadTlsMaterialException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  public Path file() {
    return file;
  }

  public String problem() {
    return problem;
  }
}
