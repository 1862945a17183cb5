package dev.seam.collector.model;

/**
 * What the span flags (bits 8 and 9) say about a span's parent. Both the Go and the Rust SDK set
 * them; older senders leave them unset, which reads as {@link #UNKNOWN}.
 */
public enum ParentLink {
  /** No parent span id: a root span. */
  NONE,
  /** The flags do not say whether the parent is in this process. */
  UNKNOWN,
  /** The parent was created by the same SDK in this process. */
  LOCAL,
  /** The parent context was extracted from a carrier: the call crossed into this SDK. */
  REMOTE;

  static final int HAS_IS_REMOTE_MASK = 0x100;
  static final int IS_REMOTE_MASK = 0x200;

  /** Reads the link from a span's parent id presence and its OTLP flags. */
  public static ParentLink of(boolean hasParent, int flags) {
    if (!hasParent) {
      return NONE;
    }
    if ((flags & HAS_IS_REMOTE_MASK) == 0) {
      return UNKNOWN;
    }
    return (flags & IS_REMOTE_MASK) != 0 ? REMOTE : LOCAL;
  }
}
