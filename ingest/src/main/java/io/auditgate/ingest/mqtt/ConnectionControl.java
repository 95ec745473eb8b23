package io.auditgate.ingest.mqtt;

/** What a connection's parts may ask of the connection itself. Called on its event loop only. */
interface ConnectionControl {

  /** Ends the connection for {@code reason}; MQTT 5 clients get a DISCONNECT first. Idempotent. */
  void close(CloseReason reason);

  /**
   * Counts an authorisation violation; the connection is closed once it has committed {@code
   * mqtt.max_violations} of them.
   */
  void violation();
}
