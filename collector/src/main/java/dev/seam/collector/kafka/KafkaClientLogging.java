package dev.seam.collector.kafka;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps kafka-clients' logging (slf4j, bound to java.util.logging) to warnings: at INFO every
 * client writes its whole configuration and each partition assignment, dozens of lines a time.
 */
public final class KafkaClientLogging {

  /** Held so that the level survives: java.util.logging keeps loggers only weakly. */
  private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");

  private KafkaClientLogging() {}

  /**
   * Sets the {@code org.apache.kafka} loggers to WARNING unless a logging configuration set a
   * level.
   */
  public static void quiet() {
    if (KAFKA.getLevel() == null) {
      KAFKA.setLevel(Level.WARNING);
    }
  }
}
