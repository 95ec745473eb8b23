/**
 * The device fleet simulator: {@link io.auditgate.sim.Board}s modelled on the B-L475E-IOT01A
 * publish seed-JSON telemetry over MQTT 5 (plaintext, TLS or mutual TLS) or post it to the HTTPS
 * ingest at a planned rate, with fault scenarios on demand, and a {@link
 * io.auditgate.sim.SimulationReport} that reconciles every message: {@link
 * io.auditgate.sim.FleetSimulator} runs a {@link io.auditgate.sim.SimulationPlan}.
 */
package io.auditgate.sim;
