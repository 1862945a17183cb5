package dev.seam.collector.receive;

import com.google.protobuf.Message;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.model.Signal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletionStage;

/**
 * Inflates and bounds one export body and hands it to the export handler on a pipeline worker;
 * shared by both receivers. The handler answers at once (the pipeline) or later ({@link
 * AsyncExportHandler}: Kafka).
 */
public final class Exports {

  private final ExportHandler handler;
  private final AsyncExportHandler later;

  /** Exports handled at once, on the worker. */
  public Exports(ExportHandler handler) {
    this(handler, null);
  }

  private Exports(ExportHandler handler, AsyncExportHandler later) {
    this.handler = handler;
    this.later = later;
  }

  /** Exports handed on from the worker and answered when the handler's stage completes. */
  public static Exports deferred(AsyncExportHandler later) {
    return new Exports(null, later);
  }

  /**
   * Runs one export request on a worker, from an event loop, and gives its reply.
   *
   * @param body the body as received; copied out on the worker
   * @param encoding how the body is compressed
   * @param limit the most bytes the body may have once inflated
   */
  public Future<Message> submit(
      WorkerExecutor workers,
      Signal signal,
      Buffer body,
      ContentEncoding encoding,
      long limit,
      OtlpFormat format,
      String protocol) {
    if (later == null) {
      return workers.executeBlocking(
          () -> export(signal, body.getBytes(), encoding, limit, format, protocol), false);
    }
    Context context = Vertx.currentContext();
    return workers
        .<CompletionStage<Message>>executeBlocking(
            () -> {
              byte[] plain = inflate(body.getBytes(), encoding, limit);
              return later.export(signal, plain, format, protocol);
            },
            false)
        .compose(stage -> Future.fromCompletionStage(stage, context));
  }

  /**
   * Runs one export request through the handler and returns the reply message.
   *
   * @param body the body as received
   * @param encoding how the body is compressed
   * @param limit the most bytes the body may have once inflated
   */
  public Message export(
      Signal signal,
      byte[] body,
      ContentEncoding encoding,
      long limit,
      OtlpFormat format,
      String protocol)
      throws OtlpDecodeException, BodyTooLargeException {
    return handler.export(signal, inflate(body, encoding, limit), format, protocol);
  }

  private static byte[] inflate(byte[] body, ContentEncoding encoding, long limit)
      throws BodyTooLargeException, OtlpDecodeException {
    byte[] plain = encoding.decode(body, limit);
    if (plain.length > limit) {
      throw new BodyTooLargeException(limit);
    }
    return plain;
  }
}
