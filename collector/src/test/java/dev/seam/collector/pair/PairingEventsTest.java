package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingEventsTest {

  /** Writes down each call, in order. */
  private static final class Transcript implements BoundaryListener {
    final List<String> calls = new ArrayList<>();

    @Override
    public void onEdge(Edge edge) {
      calls.add("edge " + edge.callee().spanId());
    }

    @Override
    public void onUnpaired(Span span, Side side) {
      calls.add("unpaired " + span.spanId() + " " + side);
    }

    @Override
    public void onContextBroken(Span caller, Span callee) {
      calls.add("broken");
    }

    @Override
    public void onErrorLogs(Edge edge, Side side, int count) {
      calls.add("logs " + edge.callee().spanId() + " " + side + " " + count);
    }

    @Override
    public void onOutcome(Outcome outcome, int count) {
      calls.add(outcome + " " + count);
    }
  }

  private static Edge edge(long calleeId) {
    return new Edge(
        Spans.builder().spanId(1).build(), Spans.builder().spanId(calleeId).build(), Transport.FFI);
  }

  @Test
  void oneIsMadeOnlyWhenNeeded() {
    PairingEvents ev = PairingEvents.of(null);
    assertNotNull(ev);
    assertSame(ev, PairingEvents.of(ev));
  }

  @Test
  void edgesComeFirstThenLogsThenUnpairedHalvesThenOneSumPerOutcome() {
    PairingEvents ev = PairingEvents.of(null);
    ev.outcome(Outcome.EXPIRED, 2)
        .unpaired(Spans.builder().spanId(7).build(), Side.CALLER)
        .errorLogs(edge(3), Side.CALLEE, 4)
        .edge(edge(2))
        .outcome(Outcome.PAIRED, 1)
        .outcome(Outcome.EXPIRED, 3)
        .edge(edge(5))
        .unpaired(Spans.builder().spanId(8).build(), Side.CALLEE);
    Transcript t = new Transcript();
    ev.dispatchTo(t);
    List<String> expected = new ArrayList<>();
    expected.add("edge 2");
    expected.add("edge 5");
    expected.add("logs 3 CALLEE 4");
    expected.add("unpaired 7 CALLER");
    expected.add("unpaired 8 CALLEE");
    for (Outcome o : Outcome.values()) {
      if (o == Outcome.PAIRED) {
        expected.add("PAIRED 1");
      } else if (o == Outcome.EXPIRED) {
        expected.add("EXPIRED 5");
      }
    }
    assertEquals(expected, t.calls);
  }

  @Test
  void nothingRecordedTellsNothing() {
    Transcript t = new Transcript();
    PairingEvents.of(null).dispatchTo(t);
    assertEquals(List.of(), t.calls);
  }
}
