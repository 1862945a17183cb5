package dev.seam.collector.receive;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether Seam can take one more export now. Work waiting for or running on the pipeline is
 * bounded in bytes, and the heap is watched: when the long-lived generation is still fuller than a
 * share of the heap after its last collection, more work would only bring an OutOfMemoryError
 * closer. Refused exports are answered so that clients retry (HTTP 503 with Retry-After, gRPC
 * UNAVAILABLE with RetryInfo); Seam recovers by itself as the backlog drains.
 */
public final class Admission {

  // Event loops read the bounds on every export and a reload writes them, without a lock: each is
  // volatile, and a reader that sees one new bound beside the other old one only admits or refuses
  // one export by the old rule.
  private volatile long maxInflightBytes;
  private volatile double heapShare;
  // Reserved by event loops, released when a worker's export completes: atomic.
  private final AtomicLong inflightBytes = new AtomicLong();
  // Filled by the constructor and only read after it, so the final field publishes it safely.
  private final List<MemoryPoolMXBean> collected = new ArrayList<>();
  private final long heapMax;

  /**
   * How long a reading of the heap after collection is used again. Reading the pools costs about a
   * microsecond, and a consuming instance of a fleet asks once per Kafka record (about two spans);
   * the figure only changes when a collection ends, a few times a second at most under load.
   */
  private static final long HEAP_READING_NANOS = 10_000_000L;

  // Written by whichever thread reads the pools; a thread that sees a stale pair reads them again
  // or uses a reading at most one period old, either of which is right.
  private volatile long heapReadAt;
  private volatile long heapReading;

  /**
   * @param maxInflightBytes most request bytes queued or being processed at once
   * @param heapShare the share of the maximum heap the collected heap may fill (1 disables the
   *     guard)
   */
  public Admission(long maxInflightBytes, double heapShare) {
    this.maxInflightBytes = maxInflightBytes;
    this.heapShare = heapShare;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()) {
        collected.add(pool);
      }
    }
    long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    this.heapMax = max > 0 ? max : Runtime.getRuntime().maxMemory();
    this.heapReadAt = System.nanoTime() - HEAP_READING_NANOS;
  }

  /** Takes new bounds (configuration reload); work already admitted is not affected. */
  public void update(long maxInflightBytes, double heapShare) {
    this.maxInflightBytes = maxInflightBytes;
    this.heapShare = heapShare;
  }

  /** Why new work is refused right now, or {@code null} when it is welcome. */
  public String overloaded() {
    if (inflightBytes.get() >= maxInflightBytes) {
      return "the pipeline backlog is at its bound of " + maxInflightBytes + " bytes";
    }
    if (heapShare < 1.0 && heapAfterCollection() > heapShare * heapMax) {
      return "the heap is more than " + Math.round(heapShare * 100) + "% full after collection";
    }
    return null;
  }

  /**
   * Reserves room for a body of {@code bytes}; false (nothing reserved) when Seam is overloaded.
   */
  public boolean tryAcquire(long bytes) {
    if (overloaded() != null) {
      return false;
    }
    long now = inflightBytes.addAndGet(bytes);
    // One body larger than the whole bound is still taken when nothing else is in flight.
    if (now > maxInflightBytes && now != bytes) {
      inflightBytes.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Gives back what {@link #tryAcquire} reserved. */
  public void release(long bytes) {
    inflightBytes.addAndGet(-bytes);
  }

  /** Bytes queued or being processed now. */
  public long inflightBytes() {
    return inflightBytes.get();
  }

  /**
   * Heap in use right after the last collection of each heap pool that reports one, read at most
   * once per {@link #HEAP_READING_NANOS}.
   */
  private long heapAfterCollection() {
    long now = System.nanoTime();
    if (now - heapReadAt < HEAP_READING_NANOS) {
      return heapReading;
    }
    long used = 0;
    for (MemoryPoolMXBean pool : collected) {
      MemoryUsage u = pool.getCollectionUsage();
      if (u != null) {
        used += u.getUsed();
      }
    }
    heapReading = used;
    heapReadAt = now;
    return used;
  }
}
