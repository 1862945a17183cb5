package dev.seam.bench;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** One way of sending export requests to a collector. */
interface Exporter {

  /** Sends one ExportTraceServiceRequest body (or, with {@code logs}, ExportLogsServiceRequest). */
  Future<Reply> send(boolean logs, byte[] body);

  Future<Void> close();

  /**
   * The body as a Buffer without a copy (the array is fresh for each request and not touched
   * again).
   */
  static Buffer wrap(byte[] body) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(body));
  }
}
