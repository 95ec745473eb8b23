package io.auditgate.ingest.tls;

import java.io.ByteArrayOutputStream;

/**
 * Hand-made TLS ClientHello records (RFC 5246 §7.4.1.2), for offering what no JDK client will offer
 * any more (TLS 1.1, CBC-only suite lists), so the tests see the server's own refusal.
 */
final class ClientHellos {
  static final int TLS_1_1 = 0x0302;
  static final int TLS_1_2 = 0x0303;

  static final int ECDHE_ECDSA_AES_128_GCM_SHA256 = 0xc02b;
  static final int ECDHE_ECDSA_AES_128_CBC_SHA256 = 0xc023;
  static final int ECDHE_ECDSA_AES_128_CBC_SHA = 0xc009;

  static final int CONTENT_HANDSHAKE = 0x16;
  static final int CONTENT_ALERT = 0x15;
  static final int HANDSHAKE_SERVER_HELLO = 0x02;
  static final int ALERT_HANDSHAKE_FAILURE = 40;
  static final int ALERT_PROTOCOL_VERSION = 70;

  private ClientHellos() {}

  static byte[] clientHello(int version, int... cipherSuites) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    short16(body, version); // client_version
    for (int i = 0; i < 32; i++) {
      body.write(i); // random (its value does not matter here)
    }
    body.write(0); // session_id: empty
    short16(body, cipherSuites.length * 2); // cipher_suites
    for (int suite : cipherSuites) {
      short16(body, suite);
    }
    body.write(1); // compression_methods: one,
    body.write(0); //   null
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    extension(extensions, 0x000a, 0x00, 0x02, 0x00, 0x17); // supported_groups: secp256r1
    extension(extensions, 0x000b, 0x01, 0x00); // ec_point_formats: uncompressed
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
    extension(extensions, 0x000d, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04);
    extension(extensions, 0x0017); // extended_master_secret
    extension(extensions, 0xff01, 0x00); // renegotiation_info: initial handshake
    short16(body, extensions.size());
    body.writeBytes(extensions.toByteArray());

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(CONTENT_HANDSHAKE);
    short16(record, 0x0301); // record version: what clients use for the first flight
    short16(record, 4 + body.size());
    record.write(0x01); // handshake type: client_hello
    record.write(body.size() >>> 16); // 24-bit length
    short16(record, body.size() & 0xffff);
    record.writeBytes(body.toByteArray());
    return record.toByteArray();
  }

  private static void extension(ByteArrayOutputStream out, int type, int... data) {
    short16(out, type);
    short16(out, data.length);
    for (int b : data) {
      out.write(b);
    }
  }

  private static void short16(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value & 0xff);
  }
}
