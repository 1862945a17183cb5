package dev.seam.collector.decode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Inflates gzip bodies with a hard cap on the output, so a small compressed body cannot expand into
 * gigabytes (a decompression bomb stops at the limit, having used at most that much memory).
 */
public final class Gunzip {

  private Gunzip() {}

  /**
   * @param compressed a complete gzip stream (several members are read in turn)
   * @param limit the most bytes the result may have
   * @throws BodyTooLargeException when the output would exceed {@code limit}
   * @throws OtlpDecodeException when the input is not valid gzip
   */
  public static byte[] inflate(byte[] compressed, long limit)
      throws BodyTooLargeException, OtlpDecodeException {
    int cap = (int) Math.min(limit, Integer.MAX_VALUE - 16);
    byte[] out = new byte[(int) Math.min(cap + 1L, Math.max(4096L, compressed.length * 4L))];
    int len = 0;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
      while (true) {
        if (len == out.length) {
          if (len > cap) {
            throw new BodyTooLargeException(limit);
          }
          out = Arrays.copyOf(out, (int) Math.min(cap + 1L, out.length * 2L));
        }
        int n = in.read(out, len, out.length - len);
        if (n < 0) {
          break;
        }
        len += n;
        if (len > cap) {
          throw new BodyTooLargeException(limit);
        }
      }
    } catch (IOException e) {
      throw new OtlpDecodeException("invalid gzip body: " + e.getMessage(), e);
    }
    return len == out.length ? out : Arrays.copyOf(out, len);
  }
}
