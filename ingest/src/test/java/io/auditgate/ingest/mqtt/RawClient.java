package io.auditgate.ingest.mqtt;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A bare TCP connection that writes bytes and reads MQTT packets, for hostile-input tests. */
final class RawClient implements AutoCloseable {

  /** One packet as read from the wire: type (high nibble), flags (low nibble), body. */
  record Packet(int type, int flags, byte[] body) {
    /** The two-byte packet id at the start of the body. */
    int packetId() {
      return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
    }

    /** Byte {@code index} of the body, unsigned. */
    int at(int index) {
      return body[index] & 0xFF;
    }

    /**
     * The MQTT 5 properties (section 2.2.2) starting at {@code offset}: integers as Long, strings
     * as String, binary data as byte[]; user properties are skipped.
     */
    Map<Integer, Object> properties(int offset) {
      Map<Integer, Object> properties = new HashMap<>();
      int[] at = {offset};
      int end = varInt(at);
      end += at[0];
      while (at[0] < end) {
        int id = varInt(at);
        switch (id) {
          case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A ->
              properties.put(id, (long) byte1(at));
          case 0x13, 0x21, 0x22, 0x23 -> properties.put(id, (long) u16(at));
          case 0x02, 0x11, 0x18, 0x27 -> properties.put(id, ((long) u16(at) << 16) | u16(at));
          case 0x0B -> properties.put(id, (long) varInt(at));
          case 0x26 -> {
            at[0] += u16(at);
            at[0] += u16(at);
          }
          case 0x09, 0x16 -> {
            int length = u16(at);
            properties.put(id, Arrays.copyOfRange(body, at[0], at[0] + length));
            at[0] += length;
          }
          default -> {
            int length = u16(at);
            properties.put(id, new String(body, at[0], length, StandardCharsets.UTF_8));
            at[0] += length;
          }
        }
      }
      return properties;
    }

    private int byte1(int[] at) {
      return at(at[0]++);
    }

    private int u16(int[] at) {
      int value = (at(at[0]) << 8) | at(at[0] + 1);
      at[0] += 2;
      return value;
    }

    private int varInt(int[] at) {
      int value = 0;
      for (int shift = 0; ; shift += 7) {
        int digit = at(at[0]++);
        value |= (digit & 0x7F) << shift;
        if ((digit & 0x80) == 0) {
          return value;
        }
      }
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawClient(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 5_000);
    socket.setSoTimeout(5_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(byte[]... packets) throws IOException {
    for (byte[] packet : packets) {
      out.write(packet);
    }
    out.flush();
  }

  /** The next packet; fails if none arrives within five seconds or the connection closes. */
  Packet read() throws IOException {
    return readWithin(Duration.ofSeconds(5))
        .orElseThrow(() -> new AssertionError("no packet within 5 s"));
  }

  /** The next packet, or empty if none arrives within {@code timeout}. */
  Optional<Packet> readWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    int first;
    try {
      first = in.read();
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
    if (first < 0) {
      throw new EOFException("connection closed");
    }
    socket.setSoTimeout(5_000);
    int remaining = 0;
    for (int shift = 0; ; shift += 7) {
      int digit = in.readUnsignedByte();
      remaining |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        break;
      }
    }
    byte[] body = new byte[remaining];
    in.readFully(body);
    return Optional.of(new Packet(first >> 4, first & 0x0F, body));
  }

  /**
   * Whether the gateway closes the connection within {@code timeout}; packets it sends before
   * closing are skipped.
   */
  boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] sink = new byte[4096];
    while (System.nanoTime() < deadline) {
      long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      socket.setSoTimeout((int) Math.min(leftMillis, 500));
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // still open; keep waiting
      } catch (SocketException e) {
        return true; // reset by the gateway
      }
    }
    return false;
  }

  /** Whether the gateway closes the connection within {@code timeout} without sending a byte. */
  boolean closedWithoutAnswerWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  /** Closes the socket at once, without DISCONNECT: the network failure a will is for. */
  @Override
  public void close() throws IOException {
    socket.close();
  }
}
