/**
 * Device events the gateway's listeners write on a device's behalf (connect, disconnect, a client
 * certificate presented), on the device's own {@code devices/{id}/events} topic, so that they reach
 * the store through the same log as telemetry. Shared by the MQTT and HTTPS listeners so that both
 * describe a client certificate with the same fields.
 */
package io.auditgate.ingest.events;
