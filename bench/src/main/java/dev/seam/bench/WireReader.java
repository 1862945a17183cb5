package dev.seam.bench;

/** A minimal protobuf wire reader over a slice of an array. */
final class WireReader {
  final byte[] b;
  int pos;
  final int end;

  WireReader(byte[] b, int pos, int end) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  boolean more() {
    return pos < end;
  }

  int tag() {
    return varint();
  }

  int varint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b[pos++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return (int) v;
      }
    }
    throw new IllegalArgumentException("malformed varint");
  }

  /** The length-delimited field whose tag was just read, as a reader; this one moves past it. */
  WireReader sub() {
    int len = varint();
    WireReader r = new WireReader(b, pos, pos + len);
    pos += len;
    return r;
  }

  void skip(int tag) {
    switch (tag & 7) {
      case 0:
        varint();
        break;
      case 1:
        pos += 8;
        break;
      case 2:
        {
          int len = varint(); // read first: "pos += varint()" would add to the old pos
          pos += len;
          break;
        }
      case 5:
        pos += 4;
        break;
      default:
        throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
    }
  }
}
