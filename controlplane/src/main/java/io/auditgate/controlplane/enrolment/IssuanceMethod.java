package io.auditgate.controlplane.enrolment;

/** How a device certificate came to be issued; stored as {@link #label()}. */
public enum IssuanceMethod {
  /** EST {@code simpleenroll}, authorised by a one-time enrolment token. */
  ENROLL("enroll"),
  /** EST {@code simplereenroll}, authenticated by the device's current certificate. */
  REENROLL("reenroll"),
  /** A re-enrolment the gateway asked the device for on its command topic. */
  MQTT_RENEWAL("mqtt_renewal"),
  /** Offline issuance by an operator from a CSR file ({@code auditgate certs issue}). */
  OPERATOR("operator");

  private final String label;

  IssuanceMethod(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
