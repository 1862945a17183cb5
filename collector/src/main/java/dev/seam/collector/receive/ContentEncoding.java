package dev.seam.collector.receive;

import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.Gunzip;
import dev.seam.collector.decode.OtlpDecodeException;

/**
 * The compressions Seam takes on an export body, named as gRPC's {@code grpc-encoding} and HTTP's
 * {@code Content-Encoding} name them. Seam inflates bodies itself, with a cap, rather than leaving
 * it to Vert.x, whose inflater has none.
 */
public enum ContentEncoding {
  IDENTITY("identity"),
  GZIP("gzip");

  private final String token;

  ContentEncoding(String token) {
    this.token = token;
  }

  /**
   * The encoding a gRPC message names (matched exactly), or {@code null} when Seam does not take
   * it.
   */
  static ContentEncoding ofGrpc(String name) {
    if (IDENTITY.token.equals(name)) {
      return IDENTITY;
    }
    if (GZIP.token.equals(name)) {
      return GZIP;
    }
    return null;
  }

  /**
   * The encoding a {@code Content-Encoding} header names, or {@code null} when Seam does not take
   * it. No header, or a blank one, is identity; case and surrounding blanks do not matter.
   */
  static ContentEncoding ofHttp(String header) {
    if (header == null || header.isBlank()) {
      return IDENTITY;
    }
    String name = header.trim();
    if (name.equalsIgnoreCase(IDENTITY.token)) {
      return IDENTITY;
    }
    if (name.equalsIgnoreCase(GZIP.token)) {
      return GZIP;
    }
    return null;
  }

  /**
   * The body as the pipeline reads it.
   *
   * @param limit the most bytes an inflated body may have
   * @throws BodyTooLargeException when inflating would pass {@code limit}
   * @throws OtlpDecodeException when a gzip body is not valid gzip
   */
  byte[] decode(byte[] body, long limit) throws BodyTooLargeException, OtlpDecodeException {
    return this == GZIP ? Gunzip.inflate(body, limit) : body;
  }
}
