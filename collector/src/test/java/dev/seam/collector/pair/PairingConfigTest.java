package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PairingConfigTest {

  private static final long MIB = 1L << 20;

  @Test
  void aGigabyteHeapHoldsTheDefaults() {
    assertSame(PairingConfig.DEFAULT, PairingConfig.DEFAULT.fittedTo(1024 * MIB));
  }

  @Test
  void aSmallHeapLowersBothBoundsToWhatHalfOfItHolds() {
    PairingConfig p = PairingConfig.DEFAULT.fittedTo(256 * MIB);
    // (256 MiB - 48 MiB - 100,000 roots x 110 B) / 2 = 103,551,904 B: 4/5 of it at 115 B a pending
    // entry, 1/5 at 25 B an ended span.
    long share = (256 * MIB - 48 * MIB - 100_000 * 110L) / 2;
    assertEquals(103_551_904, share);
    assertEquals(share * 4 / 5 / 115, p.maxPending());
    assertEquals(720_361, p.maxPending());
    assertEquals(share / 5 / 25, p.maxEndedSpans());
    assertEquals(828_415, p.maxEndedSpans());
    // Nothing else moves.
    assertEquals(PairingConfig.DEFAULT.window(), p.window());
    assertEquals(PairingConfig.DEFAULT.shards(), p.shards());
    assertEquals(PairingConfig.DEFAULT.contextBroken(), p.contextBroken());
  }

  @Test
  void rootsThatAreNotLookedForLeaveTheirShareToTheStore() {
    PairingConfig off =
        withContextBroken(
            new PairingConfig.ContextBrokenConfig(false, Duration.ofSeconds(1), 100_000));
    assertEquals((256 * MIB - 48 * MIB) / 2 * 4 / 5 / 115, off.fittedTo(256 * MIB).maxPending());
  }

  @Test
  void aBoundIsNeverRaisedNorFittedBelowTenThousand() {
    PairingConfig small = withBounds(5_000, 20_000, true);
    assertSame(small, small.fittedTo(1024 * MIB));
    PairingConfig tiny = small.fittedTo(16 * MIB);
    assertEquals(5_000, tiny.maxPending());
    assertEquals(10_000, tiny.maxEndedSpans());
  }

  @Test
  void fitToHeapFalseKeepsTheBoundsAsConfigured() {
    PairingConfig asIs = withBounds(2_000_000, 2_000_000, false);
    assertSame(asIs, asIs.fittedTo(64 * MIB));
  }

  private static PairingConfig withContextBroken(PairingConfig.ContextBrokenConfig c) {
    PairingConfig d = PairingConfig.DEFAULT;
    return with(d.maxPending(), d.maxEndedSpans(), d.fitToHeap(), c);
  }

  private static PairingConfig withBounds(int maxPending, int maxEndedSpans, boolean fitToHeap) {
    return with(maxPending, maxEndedSpans, fitToHeap, PairingConfig.DEFAULT.contextBroken());
  }

  /** The defaults but for the bounds, the fitting and the broken-context search. */
  private static PairingConfig with(
      int maxPending, int maxEndedSpans, boolean fitToHeap, PairingConfig.ContextBrokenConfig c) {
    PairingConfig d = PairingConfig.DEFAULT;
    return new PairingConfig(
        d.window(),
        maxPending,
        d.shards(),
        d.sweepInterval(),
        d.logWindow(),
        maxEndedSpans,
        fitToHeap,
        c);
  }
}
