package dev.seam.collector.model;

import com.google.protobuf.ByteString;

/** Conversions between OTLP's byte ids and the longs Seam keys its stores with. */
public final class Ids {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** Big-endian long from 8 bytes of {@code b} at {@code offset}. */
  public static long readLong(ByteString b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b.byteAt(offset + i) & 0xffL);
    }
    return v;
  }

  /** 16 lowercase hex digits. */
  public static String hex(long v) {
    char[] out = new char[16];
    write(v, out, 0);
    return new String(out);
  }

  /** 32 lowercase hex digits for a trace id's two halves. */
  public static String hex(long high, long low) {
    char[] out = new char[32];
    write(high, out, 0);
    write(low, out, 16);
    return new String(out);
  }

  private static void write(long v, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  /** 8 big-endian bytes. */
  public static ByteString bytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return ByteString.copyFrom(b);
  }

  /** 16 big-endian bytes of a trace id's two halves. */
  public static ByteString bytes(long high, long low) {
    return bytes(high).concat(bytes(low));
  }
}
