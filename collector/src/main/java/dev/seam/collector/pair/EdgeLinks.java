package dev.seam.collector.pair;

import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;

/**
 * The edges whose halves a {@link SpanRing} holds, kept in each half's attachment. Not thread-safe.
 *
 * <p>An attachment is null; a {@link SpanExtras}; once the span is a half of an edge, that edge's
 * {@link Link}, its <em>first</em> edge (the one its error logs count against); or a {@link Paired}
 * when it needs more than one of these. Most paired spans are the half of one edge and have no
 * extras, and so do without a {@link Paired}.
 */
final class EdgeLinks {

  /**
   * An edge as its halves keep it: their arrival numbers rather than the {@link Edge} itself, whose
   * two {@link Span}s would cost 256 bytes for as long as either half is held, while the ring has
   * both spans anyway. An equal {@link Edge} is rebuilt from the ring when an error log names a
   * half ({@link #edge}). The ring gives up its spans oldest first, so the older half always leaves
   * first; if the newer one still counts its error logs against this edge, the older leaves a
   * rebuilt copy of itself here ({@link #beforeHeadLeaves}). An edge is found from its older half
   * as that half's first edge, or else through the half's {@link Paired#olderOf}.
   */
  static final class Link {
    final long callerSerial;
    final long calleeSerial;
    final Transport transport;

    /** The older half, once it has left the ring, or null. */
    Span departed;

    /** The next edge whose older half is the same span. */
    Link nextOfOlder;

    /**
     * What the listener returned when the edge was reported ({@link
     * BoundaryListener#onEdgeSeries}), or null until then; set after the shard's lock is released,
     * read under it when a half leaves for {@link EndedSpans}.
     */
    volatile Object series;

    Link(long callerSerial, long calleeSerial, Transport transport) {
      this.callerSerial = callerSerial;
      this.calleeSerial = calleeSerial;
      this.transport = transport;
    }
  }

  /** The attachment of a span that needs more than a {@link SpanExtras} or one {@link Link}. */
  private static final class Paired {
    /** Its first edge, or null. */
    Link first;

    /** Edges it is the older half of, other than {@link #first}, via {@link Link#nextOfOlder}. */
    Link olderOf;

    SpanExtras extras;
  }

  private final SpanRing ring;

  EdgeLinks(SpanRing ring) {
    this.ring = ring;
  }

  /** The extras in an attachment of a span that has the {@link EntryCodec#EXTRAS} flag. */
  static SpanExtras extrasOf(Object attachment) {
    return attachment instanceof Paired paired ? paired.extras : (SpanExtras) attachment;
  }

  /** Whether the span at {@code p} is a half of an edge already. */
  boolean hasEdge(int p) {
    return (ring.bits(p) & EntryCodec.EDGE) != 0;
  }

  /** Which half of its first edge the span at {@code p} is. */
  Side edgeSide(int p) {
    return (ring.bits(p) & EntryCodec.CALLEE) != 0 ? Side.CALLEE : Side.CALLER;
  }

  /**
   * Records an edge between the spans at two positions, and makes it the first edge of each half
   * that says so. For the callee, {@code calleePos} is the position error logs naming it find: the
   * one that holds it as a candidate parent.
   *
   * @return the edge as its halves keep it
   */
  Link link(
      int callerPos,
      boolean callerFirst,
      int calleePos,
      boolean calleeFirst,
      Transport transport,
      boolean uncounted) {
    long caller = ring.serialOf(callerPos);
    long callee = ring.serialOf(calleePos);
    Link link = new Link(caller, callee, transport);
    int flags = uncounted ? EntryCodec.UNCOUNTED_EDGE : 0;
    if (callerFirst) {
      attachFirst(callerPos, link, flags);
    }
    if (calleeFirst) {
      attachFirst(calleePos, link, EntryCodec.CALLEE | flags);
    }
    if (caller < callee ? !callerFirst : !calleeFirst) {
      Paired older = paired(caller < callee ? callerPos : calleePos);
      link.nextOfOlder = older.olderOf;
      older.olderOf = link;
    }
    return link;
  }

  /** What the listener returned for the first edge of the span at {@code p}, or null. */
  Object firstSeries(int p) {
    Link link = first(p);
    return link != null ? link.series : null;
  }

  /**
   * The first edge of the span at {@code p}, rebuilt: equal to the one reported when it formed, its
   * halves rebuilt from the ring or, for an older half that has left, its copy.
   */
  Edge edge(int p) {
    Link link = first(p);
    boolean callerOlder = link.callerSerial < link.calleeSerial;
    Span caller =
        callerOlder && link.departed != null
            ? link.departed
            : ring.span(ring.positionOf(link.callerSerial));
    Span callee =
        !callerOlder && link.departed != null
            ? link.departed
            : ring.span(ring.positionOf(link.calleeSerial));
    return new Edge(caller, callee, link.transport);
  }

  /**
   * Before the ring's head leaves: gives each edge it is the older half of, and that the newer half
   * still counts its error logs against, a copy of this span (one for all of them, as those edges
   * shared one span object when they formed).
   */
  void beforeHeadLeaves() {
    int p = ring.head();
    Object attachment = ring.attachment(p);
    if (!(attachment instanceof Link || attachment instanceof Paired)) {
      return;
    }
    long self = ring.headSerial();
    Span copy = null;
    Link first = first(p);
    if (first != null && Math.min(first.callerSerial, first.calleeSerial) == self) {
      copy = leaveCopy(p, first, copy);
    }
    if (attachment instanceof Paired paired) {
      for (Link link = paired.olderOf; link != null; link = link.nextOfOlder) {
        copy = leaveCopy(p, link, copy);
      }
    }
  }

  private Span leaveCopy(int p, Link link, Span copy) {
    if (first(ring.positionOf(Math.max(link.callerSerial, link.calleeSerial))) != link) {
      return copy; // the newer half counts its logs against another edge
    }
    if (copy == null) {
      copy = ring.span(p);
    }
    link.departed = copy;
    return copy;
  }

  /**
   * @param flags {@link EntryCodec#CALLEE} and {@link EntryCodec#UNCOUNTED_EDGE} as they apply
   */
  private void attachFirst(int p, Link link, int flags) {
    if (ring.attachment(p) == null) {
      ring.setAttachment(p, link);
    } else {
      paired(p).first = link;
    }
    ring.setBits(p, ring.bits(p) | EntryCodec.EDGE | flags);
  }

  /** The attachment of {@code p} as a {@link Paired}, made one if it was not yet. */
  private Paired paired(int p) {
    Object attachment = ring.attachment(p);
    if (attachment instanceof Paired paired) {
      return paired;
    }
    Paired paired = new Paired();
    if (attachment instanceof Link link) {
      paired.first = link;
    } else {
      paired.extras = (SpanExtras) attachment;
    }
    ring.setAttachment(p, paired);
    return paired;
  }

  /** The first edge of the span at {@code p}, or null. */
  private Link first(int p) {
    Object attachment = ring.attachment(p);
    return attachment instanceof Link link
        ? link
        : attachment instanceof Paired paired ? paired.first : null;
  }
}
