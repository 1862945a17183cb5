package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.DROPPED_ITEMS;
import static dev.seam.collector.measure.MeasureMetricNames.PROCESSED_ITEMS;
import static dev.seam.collector.measure.MeasureMetricNames.RECEIVED_ITEMS;
import static dev.seam.collector.measure.MeasureMetricNames.REFUSED_ITEMS;
import static dev.seam.collector.measure.MeasureMetricNames.REFUSED_REQUESTS;

import dev.seam.collector.model.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Seam's own accounting of every item it is sent: received (accepted for processing), refused
 * (turned away, with the reason), processed and dropped. Once idle, received = processed + dropped
 * for each signal.
 *
 * <p>Receivers (on event loops) and pipeline threads count concurrently: every counter is looked up
 * in, or registered inside the {@code computeIfAbsent} of, one concurrent map keyed by name and
 * label values. The two counters every export touches (received by protocol, processed) are also
 * kept by index, since a consuming instance of a fleet counts once per Kafka record (one or two
 * spans each), where building a key string per count would cost more than the count.
 */
public final class PipelineMetrics {

  /** Protocols of the {@code protocol} label. */
  public static final String GRPC = "grpc";

  /** Protocols of the {@code protocol} label. */
  public static final String HTTP = "http";

  /** Protocols of the {@code protocol} label: records read from Kafka for the first time. */
  public static final String KAFKA = "kafka";

  /**
   * Protocols of the {@code protocol} label: records read from Kafka again, after their partition
   * changed owner; the previous owner counted them under {@link #KAFKA}.
   */
  public static final String KAFKA_REPLAY = "kafka_replay";

  private static final String[] PROTOCOLS = {GRPC, HTTP, KAFKA, KAFKA_REPLAY};

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  // Filled as each (signal, protocol) is first counted; a counter registered twice by a race is the
  // same meter, so either store is right.
  private final AtomicReferenceArray<Counter> receivedByIndex =
      new AtomicReferenceArray<>(Signal.values().length * PROTOCOLS.length);
  private final AtomicReferenceArray<Counter> processedByIndex =
      new AtomicReferenceArray<>(Signal.values().length);

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Pre-register the series dashboards and alerts divide by, so they exist at 0 from the start.
    for (Signal s : Signal.values()) {
      received(s, GRPC, 0);
      received(s, HTTP, 0);
      processed(s, 0);
      dropped(s, "internal_error", 0);
      refusedItems(s, "invalid", 0);
    }
  }

  /** Items accepted for processing. */
  public void received(Signal signal, String protocol, long n) {
    int p = protocolIndex(protocol);
    if (p < 0) {
      receivedCounter(signal, protocol).increment((double) n);
      return;
    }
    int i = signal.ordinal() * PROTOCOLS.length + p;
    Counter c = receivedByIndex.get(i);
    if (c == null) {
      c = receivedCounter(signal, protocol);
      receivedByIndex.set(i, c);
    }
    c.increment((double) n);
  }

  private Counter receivedCounter(Signal signal, String protocol) {
    return counter(
        RECEIVED_ITEMS, "Items accepted for processing", signal.label(), "protocol", protocol);
  }

  private static int protocolIndex(String protocol) {
    for (int i = 0; i < PROTOCOLS.length; i++) {
      // The callers pass the constants themselves, which equals tells by identity first.
      if (PROTOCOLS[i].equals(protocol)) {
        return i;
      }
    }
    return -1;
  }

  /** Items turned away individually (the rest of their request was processed). */
  public void refusedItems(Signal signal, String reason, long n) {
    counter(REFUSED_ITEMS, "Items turned away, by reason", signal.label(), "reason", reason)
        .increment((double) n);
  }

  /** Whole requests turned away before their items could be counted. */
  public void refusedRequest(String signal, String protocol, String reason) {
    String key = REFUSED_REQUESTS + '\0' + signal + '\0' + protocol + '\0' + reason;
    Counter c = counters.get(key);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              key,
              k ->
                  Counter.builder(REFUSED_REQUESTS)
                      .description(
                          "Requests turned away as a whole (undecodable, too large, wrong type), by"
                              + " reason")
                      .tag("signal", signal)
                      .tag("protocol", protocol)
                      .tag("reason", reason)
                      .register(registry));
    }
    c.increment();
  }

  /** Items fully processed. */
  public void processed(Signal signal, long n) {
    Counter c = processedByIndex.get(signal.ordinal());
    if (c == null) {
      c =
          counter(
              PROCESSED_ITEMS,
              "Accepted items that were fully processed",
              signal.label(),
              null,
              null);
      processedByIndex.set(signal.ordinal(), c);
    }
    c.increment((double) n);
  }

  /** Accepted items that could not be processed. */
  public void dropped(Signal signal, String reason, long n) {
    counter(
            DROPPED_ITEMS,
            "Accepted items that could not be processed, by reason",
            signal.label(),
            "reason",
            reason)
        .increment((double) n);
  }

  private Counter counter(
      String name, String description, String signal, String tag, String value) {
    String key = name + '\0' + signal + '\0' + (tag == null ? "" : value);
    Counter c = counters.get(key);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              key,
              k -> {
                Counter.Builder b =
                    Counter.builder(name).description(description).tag("signal", signal);
                if (tag != null) {
                  b.tag(tag, value);
                }
                return b.register(registry);
              });
    }
    return c;
  }
}
