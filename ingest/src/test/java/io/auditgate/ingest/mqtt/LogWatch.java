package io.auditgate.ingest.mqtt;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records warnings from Netty and from the listener while a test runs. Netty logs an exception that
 * reached the end of a pipeline ("reached at the tail of the pipeline") at WARN; the listener logs
 * unexpected errors at WARN. A hostile-input test asserts there were none.
 */
final class LogWatch implements AutoCloseable {
  private static final List<String> WATCHED = List.of("io.netty", "io.auditgate.ingest.mqtt");

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogWatch() {
    appender.start();
    for (String name : WATCHED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.setLevel(Level.WARN);
      logger.setAdditive(false); // recorded here, not printed: a failing test shows them
      logger.addAppender(appender);
    }
  }

  /** Every warning or error recorded, as "logger: message". */
  List<String> warnings() {
    synchronized (appender.list) {
      return appender.list.stream()
          .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
          .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
          .toList();
    }
  }

  @Override
  public void close() {
    for (String name : WATCHED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.detachAppender(appender);
      logger.setLevel(null);
      logger.setAdditive(true);
    }
    appender.stop();
  }
}
