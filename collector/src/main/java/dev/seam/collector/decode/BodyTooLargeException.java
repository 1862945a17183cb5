package dev.seam.collector.decode;

/** Thrown when a body, once inflated, would exceed the configured limit. */
public final class BodyTooLargeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long limit;

  /**
   * @param limit the limit in bytes that was reached
   */
  public BodyTooLargeException(long limit) {
    super("body exceeds the limit of " + limit + " bytes after decompression");
    this.limit = limit;
  }

  /** The limit in bytes that was reached. */
  public long limit() {
    return limit;
  }
}
