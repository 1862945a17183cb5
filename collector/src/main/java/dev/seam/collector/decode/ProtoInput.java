package dev.seam.collector.decode;

import java.io.IOException;

/**
 * A cursor over protobuf wire format in a byte array, for {@link TraceReader}: varints, fixed
 * values and length-delimited fields, each bounded by the end of the message being read. It refuses
 * what protobuf's own parser refuses (malformed varints, lengths past the end, field number 0,
 * unknown wire types, unbalanced groups) and does only that; it builds nothing.
 */
final class ProtoInput {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int START_GROUP = 3;
  static final int END_GROUP = 4;
  static final int FIXED32 = 5;

  /** protobuf's own default nesting limit, for groups skipped inside unknown fields. */
  private static final int MAX_GROUP_DEPTH = 100;

  private final byte[] b;

  /** The next byte to read. */
  int pos;

  ProtoInput(byte[] b, int pos) {
    this.b = b;
    this.pos = pos;
  }

  /** The next tag of a message that ends at {@code end}, or 0 at its end. */
  int tag(int end) throws IOException {
    if (pos >= end) {
      if (pos > end) {
        throw truncated();
      }
      return 0;
    }
    int t = varint32(end);
    if ((t >>> 3) == 0) {
      throw new IOException("Protocol message contained an invalid tag (zero).");
    }
    return t;
  }

  /** A varint as an int (the low 32 bits of a longer one, as protobuf reads int32 and enums). */
  int varint32(int end) throws IOException {
    int p = pos;
    if (p < end) {
      int x = b[p];
      if (x >= 0) {
        pos = p + 1;
        return x;
      }
      if (end - p >= 5) {
        // Common case: up to five bytes, no bounds check per byte.
        x = (x & 0x7f) | (b[p + 1] << 7);
        if (b[p + 1] >= 0) {
          pos = p + 2;
          return x;
        }
        x = (x & 0x3fff) | (b[p + 2] << 14);
        if (b[p + 2] >= 0) {
          pos = p + 3;
          return x;
        }
        x = (x & 0x1fffff) | (b[p + 3] << 21);
        if (b[p + 3] >= 0) {
          pos = p + 4;
          return x;
        }
        x = (x & 0xfffffff) | (b[p + 4] << 28);
        if (b[p + 4] >= 0) {
          pos = p + 5;
          return x;
        }
      }
    }
    return (int) varint64(end);
  }

  /**
   * An int64, uint64 or bool value. As protobuf-java reads these, the tenth byte ends the varint
   * whatever its top bit says; so does an unknown varint field (tags, lengths and enums are held to
   * the rule).
   */
  long int64(int end) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw truncated();
      }
      byte x = b[pos++];
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0 || shift == 63) {
        return result;
      }
    }
    return result;
  }

  /** A varint of up to ten bytes, the last without its continuation bit. */
  long varint64(int end) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw truncated();
      }
      byte x = b[pos++];
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new IOException("CodedInputStream encountered a malformed varint.");
  }

  long fixed64(int end) throws IOException {
    if (end - pos < 8) {
      throw truncated();
    }
    int p = pos;
    pos = p + 8;
    return (b[p] & 0xffL)
        | (b[p + 1] & 0xffL) << 8
        | (b[p + 2] & 0xffL) << 16
        | (b[p + 3] & 0xffL) << 24
        | (b[p + 4] & 0xffL) << 32
        | (b[p + 5] & 0xffL) << 40
        | (b[p + 6] & 0xffL) << 48
        | (b[p + 7] & 0xffL) << 56;
  }

  int fixed32(int end) throws IOException {
    if (end - pos < 4) {
      throw truncated();
    }
    int p = pos;
    pos = p + 4;
    return (b[p] & 0xff)
        | (b[p + 1] & 0xff) << 8
        | (b[p + 2] & 0xff) << 16
        | (b[p + 3] & 0xff) << 24;
  }

  /**
   * Reads the length of a length-delimited field and returns where the field ends; {@link #pos} is
   * then its first byte.
   */
  int length(int end) throws IOException {
    int len = varint32(end);
    if (len < 0) {
      throw new IOException(
          "CodedInputStream encountered an embedded string or message which claimed to have"
              + " negative size.");
    }
    if (len > end - pos) {
      throw truncated();
    }
    return pos + len;
  }

  /** Skips the field whose tag was just read. */
  void skip(int tag, int end) throws IOException {
    skip(tag, end, 0);
  }

  private void skip(int tag, int end, int depth) throws IOException {
    switch (tag & 7) {
      case VARINT:
        // The generated parsers keep unknown varints with readInt64, so they are as lenient here.
        int64(end);
        return;
      case FIXED64:
        if (end - pos < 8) {
          throw truncated();
        }
        pos += 8;
        return;
      case LENGTH_DELIMITED:
        pos = length(end);
        return;
      case START_GROUP:
        if (depth >= MAX_GROUP_DEPTH) {
          throw new IOException("Protocol message had too many levels of nesting.");
        }
        int endGroup = (tag & ~7) | END_GROUP;
        for (int t = tag(end); t != endGroup; t = tag(end)) {
          if (t == 0) {
            throw truncated();
          }
          skip(t, end, depth + 1);
        }
        return;
      case END_GROUP:
        throw new IOException("Protocol message end-group tag did not match expected tag.");
      case FIXED32:
        if (end - pos < 4) {
          throw truncated();
        }
        pos += 4;
        return;
      default:
        throw new IOException("Protocol message tag had invalid wire type.");
    }
  }

  private static IOException truncated() {
    return new IOException(
        "While parsing a protocol message, the input ended unexpectedly in the middle of a field.");
  }
}
