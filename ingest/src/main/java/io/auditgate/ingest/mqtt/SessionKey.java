package io.auditgate.ingest.mqtt;

import java.util.Objects;

/**
 * Names a session. The authenticated device is part of the key, so that a device presenting another
 * device's client id gets a session of its own and never resumes (or takes over) the other's.
 */
record SessionKey(String deviceId, String clientId) {
  SessionKey {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(clientId, "clientId");
  }
}
