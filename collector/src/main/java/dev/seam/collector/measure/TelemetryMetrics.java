package dev.seam.collector.measure;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What Seam re-exports from the services' own logs and metrics: log counts and process memory. */
public final class TelemetryMetrics {

  /** The {@code type} of a memory figure the language runtime reports about its own heap. */
  public static final String RUNTIME = "runtime";

  /** The {@code type} of a memory figure about the whole process (resident memory). */
  public static final String RESIDENT = "resident";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<LogKey, Counter> logs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<LogKey, Counter> recovered = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemoryKey, AtomicLong> memory = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemoryKey, Long> memoryUpdated = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemoryKey, Gauge> memoryGauges = new ConcurrentHashMap<>();

  private record LogKey(String service, String language, Severity severity) {}

  private record MemoryKey(String service, String language, String instance, String type) {}

  public TelemetryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one log record. */
  public void logRecord(Origin origin, Severity severity) {
    LogKey key = new LogKey(origin.service(), origin.language(), severity);
    Counter c = logs.get(key);
    if (c == null) {
      c = logs.computeIfAbsent(key, k -> Counter.builder("seam.log.records")
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
      c = recovered.computeIfAbsent(key, k -> Counter.builder("seam.log.context.recovered")
          .description("Log records without OTLP trace context whose trace id Seam found in their attributes or body")
          .tag("service", k.service())
          .tag("language", k.language())
          .register(registry));
    }
    c.increment();
  }

  /** Sets the latest memory figure of one process. */
  public void processMemory(Origin origin, String type, long bytes) {
    MemoryKey key = new MemoryKey(origin.service(), origin.language(), origin.instance(), type);
    AtomicLong value = memory.get(key);
    if (value == null) {
      value = memory.computeIfAbsent(key, k -> {
        AtomicLong v = new AtomicLong();
        memoryGauges.put(k, Gauge.builder("seam.process.memory", v, AtomicLong::doubleValue)
            .description("Latest memory figure a service reported about its process: runtime heap or resident memory")
            .baseUnit("bytes")
            .tag("service", k.service())
            .tag("language", k.language())
            .tag("service_instance", k.instance())
            .tag("type", k.type())
            .register(registry));
        return v;
      });
    }
    value.set(bytes);
    memoryUpdated.put(key, System.nanoTime());
  }

  /**
   * Removes the memory figures of processes that reported nothing for {@code ttlNanos}: a
   * restarted process reports under a new instance, and its old series must not stay forever.
   *
   * @return how many series were removed
   */
  public int expireIdle(long ttlNanos) {
    long now = System.nanoTime();
    int removed = 0;
    for (java.util.Map.Entry<MemoryKey, Long> e : memoryUpdated.entrySet()) {
      if (now - e.getValue() > ttlNanos && memoryUpdated.remove(e.getKey(), e.getValue())) {
        memory.remove(e.getKey());
        Gauge g = memoryGauges.remove(e.getKey());
        if (g != null) {
          registry.remove(g);
        }
        removed++;
      }
    }
    return removed;
  }
}
