package io.auditgate.sim;

import java.nio.file.Path;

/** A certificate, key or trust file could not be read or made sense of. */
public class UnableToLoadCredentialsException extends SimulationException {
  public UnableToLoadCredentialsException(Path file, String problem, Throwable cause) {
    super("cannot load " + file + ": " + problem, cause);
  }
}
