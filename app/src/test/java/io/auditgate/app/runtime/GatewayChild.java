package io.auditgate.app.runtime;

import io.auditgate.app.Main;

/**
 * The process {@link GatewayKillDashNineTest} kills: the real command line, {@code auditgate run
 * --config FILE}, plus a watchdog so that a child whose parent died without killing it does not
 * linger.
 *
 * <p>Arguments: the arguments of {@link Main}.
 */
public final class GatewayChild {
  private static final long ORPHAN_MILLIS = 60_000;

  private GatewayChild() {}

  public static void main(String[] args) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(ORPHAN_MILLIS);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(3);
            },
            "orphan-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Main.main(args);
  }
}
