package dev.seam.collector.pair;

import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;

/** Decides how a paired call crossed its boundary (docs/boundary-model.md, "Transports"). */
public final class TransportClassifier {

  private TransportClassifier() {}

  /** The transport of the edge from {@code caller} to {@code callee}. */
  public static Transport classify(Span caller, Span callee) {
    boolean languagesDiffer = !caller.origin().language().equals(callee.origin().language());
    if (languagesDiffer && caller.origin().sameProcess(callee.origin())) {
      return Transport.FFI;
    }
    Transport byHint = ofHint(callee.protocol());
    if (byHint == null) {
      byHint = ofHint(caller.protocol());
    }
    if (byHint != null) {
      return byHint;
    }
    boolean processesDiffer =
        caller.origin().process() != null
            && callee.origin().process() != null
            && !caller.origin().process().equals(callee.origin().process());
    if (processesDiffer || callee.kind().isIncoming() || caller.kind().isOutgoing()) {
      return Transport.OTHER;
    }
    // Two languages, no network attribute and no CLIENT/SERVER kind on either half: a call
    // through cgo whose two SDKs do not name their (shared) process.
    return languagesDiffer ? Transport.FFI : Transport.OTHER;
  }

  /** The transport a span's protocol hint names, or {@code null} when it names none. */
  public static Transport ofHint(ProtocolHint hint) {
    switch (hint) {
      case GRPC:
        return Transport.GRPC;
      case HTTP:
        return Transport.HTTP;
      case MESSAGING:
        return Transport.MESSAGING;
      case OTHER_RPC:
        return Transport.OTHER;
      default:
        return null;
    }
  }
}
