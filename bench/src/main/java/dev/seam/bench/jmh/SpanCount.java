package dev.seam.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Spans a benchmark handled, which JMH reports per second next to the invocations ({@code :spans}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class SpanCount {
  public long spans;

  @Setup(Level.Iteration)
  public void reset() {
    spans = 0;
  }
}
