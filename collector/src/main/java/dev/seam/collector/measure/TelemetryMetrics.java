package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.LOG_CONTEXT_RECOVERED;
import static dev.seam.collector.measure.MeasureMetricNames.LOG_RECORDS;
import static dev.seam.collector.measure.MeasureMetricNames.PROCESS_MEMORY;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Seam re-exports from the services' own logs and metrics: log counts and process memory.
 *
 * <p>Pipeline threads record concurrently into concurrent maps; a meter is registered inside the
 * map's {@code computeIfAbsent}, and an idle memory series leaves its map and the registry inside
 * {@code computeIfPresent}, so a process reporting again at that moment gets a fresh gauge.
 */
public final class TelemetryMetrics {

  /** The {@code type} of a memory figure the language runtime reports about its own heap. */
  public static final String RUNTIME = "runtime";

  /** The {@code type} of a memory figure about the whole process (resident memory). */
  public static final String RESIDENT = "resident";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<LogKey, Counter> logs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<LogKey, Counter> recovered = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemoryKey, Memory> memory = new ConcurrentHashMap<>();

  private record LogKey(String service, String language, Severity severity) {}

  private record MemoryKey(String service, String language, String instance, String type) {}

  /** One process's latest memory figure, when it came, and the gauge that exports it. */
  private static final class Memory {
    volatile double bytes;
    volatile long updatedNanos;
    Gauge gauge;
  }

  public TelemetryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one log record. */
  public void logRecord(Origin origin, Severity severity) {
    LogKey key = new LogKey(origin.service(), origin.language(), severity);
    Counter c = logs.get(key);
    if (c == null) {
      c =
          logs.computeIfAbsent(
              key,
              k ->
                  Counter.builder(LOG_RECORDS)
                      .description("Log records received, by reporting service and severity")
                      .tag("service", k.service())
                      .tag("language", k.language())
                      .tag("severity", k.severity().label())
                      .register(registry));
    }
    c.increment();
  }

  /** Counts one log record whose trace context was recovered from its attributes or body. */
  public void logContextRecovered(Origin origin) {
    LogKey key = new LogKey(origin.service(), origin.language(), null);
    Counter c = recovered.get(key);
    if (c == null) {
      c =
          recovered.computeIfAbsent(
              key,
              k ->
                  Counter.builder(LOG_CONTEXT_RECOVERED)
                      .description(
                          "Log records without OTLP trace context whose trace id Seam found in"
                              + " their attributes or body")
                      .tag("service", k.service())
                      .tag("language", k.language())
                      .register(registry));
    }
    c.increment();
  }

  /** Sets the latest memory figure of one process. */
  public void processMemory(Origin origin, String type, long bytes) {
    MemoryKey key = new MemoryKey(origin.service(), origin.language(), origin.instance(), type);
    Memory m = memory.get(key);
    if (m == null) {
      m = memory.computeIfAbsent(key, this::register);
    }
    m.bytes = bytes;
    m.updatedNanos = System.nanoTime();
  }

  private Memory register(MemoryKey k) {
    Memory m = new Memory();
    m.updatedNanos = System.nanoTime();
    m.gauge =
        Gauge.builder(PROCESS_MEMORY, m, x -> x.bytes)
            .description(
                "Latest memory figure a service reported about its process: runtime heap or"
                    + " resident memory")
            .baseUnit("bytes")
            .tag("service", k.service())
            .tag("language", k.language())
            .tag("service_instance", k.instance())
            .tag("type", k.type())
            .register(registry);
    return m;
  }

  /**
   * Removes the memory figures of processes that reported nothing for {@code ttlNanos}: a restarted
   * process reports under a new instance, and its old series must not stay forever.
   *
   * @return how many series were removed
   */
  public int expireIdle(long ttlNanos) {
    long now = System.nanoTime();
    int[] removed = {0};
    for (MemoryKey key : memory.keySet()) {
      memory.computeIfPresent(
          key,
          (k, m) -> {
            if (now - m.updatedNanos <= ttlNanos) {
              return m;
            }
            registry.remove(m.gauge);
            removed[0]++;
            return null;
          });
    }
    return removed[0];
  }
}
