package dev.seam.collector.receive;

import com.google.protobuf.Message;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.model.Signal;

/** Inflates and bounds one export body and hands it to the export handler; shared by both receivers. */
public final class Exports {

  private final ExportHandler handler;

  public Exports(ExportHandler handler) {
    this.handler = handler;
  }

  /**
   * Runs one export request through the handler and returns the reply message.
   *
   * @param body the body as received
   * @param encoding how the body is compressed
   * @param limit the most bytes the body may have once inflated
   */
  public Message export(Signal signal, byte[] body, ContentEncoding encoding, long limit,
      OtlpFormat format, String protocol) throws OtlpDecodeException, BodyTooLargeException {
    byte[] plain = encoding.decode(body, limit);
    if (plain.length > limit) {
      throw new BodyTooLargeException(limit);
    }
    return handler.export(signal, plain, format, protocol);
  }
}
