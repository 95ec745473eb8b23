package io.auditgate.ingest.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Blocking clients for the TLS tests: a JDK SSLSocket, and a raw socket for hand-made hellos. */
final class TlsClients {
  private TlsClients() {}

  /** How a client connection ended. */
  record Result(boolean accepted, Exception failure) {}

  /**
   * Connects, handshakes and waits for the server's "accepted" byte. Accepted only if the server
   * accepted the handshake as well.
   */
  static Result connect(SSLContext context, int port, Consumer<SSLSocket> customise) {
    try (SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      customise.accept(socket);
      socket.startHandshake();
      int b = socket.getInputStream().read();
      return new Result(b == TlsTestServer.ACCEPTED, null);
    } catch (IOException e) {
      return new Result(false, e);
    }
  }

  static Result connect(SSLContext context, int port) {
    return connect(context, port, socket -> {});
  }

  /** Sends raw bytes and returns the first TLS record the server answers with. */
  static byte[] firstRecord(int port, byte[] hello) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(hello);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] header = in.readNBytes(5);
      if (header.length < 5) {
        return header;
      }
      int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      record.write(header);
      record.write(in.readNBytes(length));
      return record.toByteArray();
    }
  }
}
