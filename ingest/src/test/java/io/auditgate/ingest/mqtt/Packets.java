package io.auditgate.ingest.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * MQTT packets written byte by byte, for raw-socket tests that must send exactly what a real client
 * library would refuse to send. Layouts are those of MQTT 3.1.1 and 5.0 section 3.
 */
final class Packets {
  static final int CONNECT = 1;
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int PUBREC = 5;
  static final int PUBREL = 6;
  static final int PUBCOMP = 7;
  static final int SUBSCRIBE = 8;
  static final int SUBACK = 9;
  static final int UNSUBSCRIBE = 10;
  static final int UNSUBACK = 11;
  static final int PINGREQ = 12;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;

  static final int V311 = 4;
  static final int V5 = 5;

  private Packets() {}

  /** CONNECT with a clean session, username and password, no will. */
  static byte[] connect(
      int level, String clientId, String username, String password, int keepAlive) {
    return connect(level, clientId, true, username, password, keepAlive, null, null);
  }

  /**
   * CONNECT (section 3.1).
   *
   * <pre>
   * 0x10 remaining-length
   *   00 04 'M' 'Q' 'T' 'T'      protocol name
   *   level                      4 = 3.1.1, 5 = 5.0
   *   flags                      0x80 username, 0x40 password, 0x04 will, 0x02 clean session
   *   keep-alive (2 bytes)
   *   [MQTT 5] 00                no properties
   *   client id, [MQTT 5: 00 will properties] will topic, will payload, username, password
   * </pre>
   */
  static byte[] connect(
      int level,
      String clientId,
      boolean clean,
      String username,
      String password,
      int keepAlive,
      String willTopic,
      String willPayload) {
    return connectWithRawClientId(
        level, utf8(clientId), clean, username, password, keepAlive, willTopic, willPayload);
  }

  /** CONNECT whose client id is {@code rawClientId} exactly, valid UTF-8 or not. */
  static byte[] connectWithRawClientId(
      int level,
      byte[] rawClientId,
      boolean clean,
      String username,
      String password,
      int keepAlive,
      String willTopic,
      String willPayload) {
    return connect(
        level,
        rawClientId,
        clean,
        username,
        password,
        keepAlive,
        new byte[0],
        willTopic,
        new byte[0],
        willPayload);
  }

  /**
   * CONNECT with MQTT 5 properties: {@code properties} and {@code willProperties} are property
   * bytes without their length, which this writes.
   */
  static byte[] connect(
      int level,
      byte[] rawClientId,
      boolean clean,
      String username,
      String password,
      int keepAlive,
      byte[] properties,
      String willTopic,
      byte[] willProperties,
      String willPayload) {
    Writer body = new Writer();
    body.string("MQTT").u8(level);
    int flags = (clean ? 0x02 : 0) | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
    flags |= willTopic != null ? 0x04 : 0;
    body.u8(flags).u16(keepAlive);
    if (level == V5) {
      body.varInt(properties.length).bytes(properties);
    }
    body.u16(rawClientId.length).bytes(rawClientId);
    if (willTopic != null) {
      if (level == V5) {
        body.varInt(willProperties.length).bytes(willProperties);
      }
      body.string(willTopic).binary(willPayload.getBytes(StandardCharsets.UTF_8));
    }
    if (username != null) {
      body.string(username);
    }
    if (password != null) {
      body.binary(password.getBytes(StandardCharsets.UTF_8));
    }
    return packet(0x10, body);
  }

  /** A four-byte integer property (section 2.2.2.2), e.g. 0x11 session expiry, 0x18 will delay. */
  static byte[] intProperty(int id, long value) {
    return new Writer().u8(id).u16((int) (value >>> 16)).u16((int) value).toByteArray();
  }

  /**
   * PUBLISH (section 3.3).
   *
   * <pre>
   * 0x30 | dup 0x08 | qos << 1   remaining-length
   *   topic (2-byte length + UTF-8)
   *   [qos > 0] packet id (2 bytes)
   *   [MQTT 5] 00                no properties
   *   payload
   * </pre>
   */
  static byte[] publish(int level, String topic, int qos, int packetId, String payload) {
    return publishRaw(level, utf8(topic), qos, false, packetId, utf8(payload));
  }

  static byte[] publishRaw(
      int level, byte[] rawTopic, int qos, boolean dup, int packetId, byte[] payload) {
    Writer body = new Writer();
    body.u16(rawTopic.length).bytes(rawTopic);
    if (qos > 0) {
      body.u16(packetId);
    }
    if (level == V5) {
      body.u8(0);
    }
    body.bytes(payload);
    return packet(0x30 | (dup ? 0x08 : 0) | (qos << 1), body);
  }

  /** PUBREL (section 3.6): 0x62 02 packet-id. */
  static byte[] pubRel(int packetId) {
    return packet(0x62, new Writer().u16(packetId));
  }

  /** SUBSCRIBE (section 3.8): 0x82, packet id, [MQTT 5] 00, then filter + options byte each. */
  static byte[] subscribe(int level, int packetId, int qos, String... filters) {
    Writer body = new Writer().u16(packetId);
    if (level == V5) {
      body.u8(0);
    }
    for (String filter : filters) {
      body.string(filter).u8(qos);
    }
    return packet(0x82, body);
  }

  /** UNSUBSCRIBE (section 3.10): 0xA2, packet id, [MQTT 5] 00, then the filters. */
  static byte[] unsubscribe(int level, int packetId, String... filters) {
    Writer body = new Writer().u16(packetId);
    if (level == V5) {
      body.u8(0);
    }
    for (String filter : filters) {
      body.string(filter);
    }
    return packet(0xA2, body);
  }

  /** PUBACK (section 3.4): 40 02 packet-id. */
  static byte[] pubAck(int packetId) {
    return packet(0x40, new Writer().u16(packetId));
  }

  /** PINGREQ (section 3.12): C0 00. */
  static byte[] pingReq() {
    return new byte[] {(byte) 0xC0, 0x00};
  }

  /** DISCONNECT (section 3.14): E0 00. */
  static byte[] disconnect() {
    return new byte[] {(byte) 0xE0, 0x00};
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] packet(int firstByte, Writer body) {
    byte[] content = body.toByteArray();
    Writer packet = new Writer().u8(firstByte).varInt(content.length).bytes(content);
    return packet.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Big-endian MQTT primitives (section 1.5). */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer u8(int value) {
      out.write(value);
      return this;
    }

    Writer u16(int value) {
      out.write(value >> 8);
      out.write(value);
      return this;
    }

    Writer bytes(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    /** UTF-8 encoded string: two-byte length, then the bytes. */
    Writer string(String text) {
      byte[] bytes = utf8(text);
      return u16(bytes.length).bytes(bytes);
    }

    /** Binary data: two-byte length, then the bytes. */
    Writer binary(byte[] bytes) {
      return u16(bytes.length).bytes(bytes);
    }

    /** Variable byte integer: seven bits a byte, least significant first. */
    Writer varInt(int value) {
      do {
        int digit = value & 0x7F;
        value >>>= 7;
        out.write(value > 0 ? digit | 0x80 : digit);
      } while (value > 0);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
