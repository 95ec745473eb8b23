package io.auditgate.sim;

import java.time.Duration;

/**
 * The fleet's state, reported once a second while a simulation runs.
 *
 * @param elapsed time since publishing started
 * @param connected boards connected now
 * @param sent messages handed to the MQTT client so far
 * @param acknowledged QoS 1 messages acknowledged so far
 * @param failed messages failed so far
 * @param skipped due readings skipped so far
 */
public record SimulationProgress(
    Duration elapsed, int connected, long sent, long acknowledged, long failed, long skipped) {}
