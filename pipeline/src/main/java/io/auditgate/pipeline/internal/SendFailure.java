package io.auditgate.pipeline.internal;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What a failed send means for the record and for the producer. Decided by exception type, never by
 * message text.
 */
public enum SendFailure {
  /** Only this record can never be accepted (too large, invalid): reject it, carry on. */
  RECORD,
  /** Kafka is unreachable or busy (timeouts, leader changes, too few replicas): retry later. */
  RETRIABLE,
  /**
   * The producer itself is unusable (fenced, out of sequence, closed, not authorised, a bug): retry
   * later with a new producer.
   */
  FATAL,
  /** The sending thread was interrupted: the dispatcher is stopping. */
  INTERRUPTED;

  public static SendFailure of(Throwable failure) {
    if (failure instanceof RecordTooLargeException
        || failure instanceof RecordBatchTooLargeException
        || failure instanceof InvalidRecordException
        || failure instanceof InvalidTopicException
        || failure instanceof SerializationException) {
      return RECORD;
    }
    if (failure instanceof RetriableException) {
      return RETRIABLE;
    }
    if (failure instanceof InterruptException || failure instanceof InterruptedException) {
      return INTERRUPTED;
    }
    return FATAL;
  }

  /** The dead-letter reason code of a {@link #RECORD} failure. */
  public static String reasonCode(Throwable failure) {
    if (failure instanceof RecordTooLargeException
        || failure instanceof RecordBatchTooLargeException) {
      return "record_too_large";
    }
    if (failure instanceof InvalidTopicException) {
      return "invalid_topic";
    }
    return "invalid_record";
  }
}
