package io.auditgate.wal;

import io.auditgate.wal.internal.Segment;

/**
 * How far the log is durable: every record below {@code endOffset} is forced, and the segment being
 * written is valid up to {@code activeBytes}. Published as one immutable value so readers never see
 * an offset without the byte position that goes with it.
 */
record DurablePoint(long endOffset, Segment active, long activeBytes) {}
