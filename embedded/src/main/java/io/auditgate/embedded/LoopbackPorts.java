package io.auditgate.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface, for servers that must know their port up front. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /**
   * A port that was free a moment ago. Another process may take it before it is bound again;
   * callers that restart on a fixed port retry their bind (see {@link EmbeddedKafka}).
   */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }
}
