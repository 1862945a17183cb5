package dev.seam.bench;

/**
 * The fresh ids of each group, from one SplitMix64 stream: 128-bit trace ids and 64-bit span ids,
 * never zero; streams with different seeds draw different ids.
 */
final class IdStream {

  /** The current group's trace ids, high halves, by trace. */
  final long[] traceHi;

  /** The current group's trace ids, low halves, by trace. */
  final long[] traceLo;

  /** The current group's span ids: trace i, span slot 4 * i + k. */
  final long[] spanIds;

  private long state;

  IdStream(long seed, int traces) {
    this.traceHi = new long[traces];
    this.traceLo = new long[traces];
    this.spanIds = new long[traces * 4];
    this.state = mix(seed ^ 0x5EA3_0000_0000_0001L);
  }

  /** Draws the ids of the next group: every trace's, then every span's. */
  void nextGroup() {
    for (int i = 0; i < traceHi.length; i++) {
      long hi;
      long lo;
      do {
        hi = next();
        lo = next();
      } while ((hi | lo) == 0);
      traceHi[i] = hi;
      traceLo[i] = lo;
    }
    for (int i = 0; i < spanIds.length; i++) {
      spanIds[i] = nextSpanId();
    }
  }

  /** The next non-zero draw. */
  long nextSpanId() {
    long id;
    do {
      id = next();
    } while (id == 0);
    return id;
  }

  /** SplitMix64: a bijection of the counter, so a stream never repeats within 2^64 draws. */
  long next() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
