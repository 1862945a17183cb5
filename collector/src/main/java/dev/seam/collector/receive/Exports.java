package dev.seam.collector.receive;

import com.google.protobuf.Message;
import dev.seam.collector.Pipeline;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.Gunzip;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.decode.OtlpProtobuf;
import dev.seam.collector.model.Signal;

/** Inflates, decodes and processes one export body; shared by both receivers. */
public final class Exports {

  /** How the body is encoded. */
  public enum Format {
    PROTOBUF,
    JSON
  }

  private final Pipeline pipeline;

  public Exports(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * Runs one export request through the pipeline and returns the reply message.
   *
   * @param body the body as received
   * @param gzip whether the body is gzip-compressed
   * @param limit the most bytes the body may have once inflated
   */
  public Message export(Signal signal, byte[] body, boolean gzip, long limit, Format format, String protocol)
      throws OtlpDecodeException, BodyTooLargeException {
    byte[] plain = gzip ? Gunzip.inflate(body, limit) : body;
    if (plain.length > limit) {
      throw new BodyTooLargeException(limit);
    }
    switch (signal) {
      case SPANS:
        return pipeline.traces(format == Format.JSON ? OtlpJson.traces(plain).toByteArray() : plain, protocol);
      case LOGS:
        return pipeline.logs(format == Format.JSON ? OtlpJson.logs(plain) : OtlpProtobuf.logs(plain), protocol);
      default:
        return pipeline.metrics(format == Format.JSON ? OtlpJson.metrics(plain) : OtlpProtobuf.metrics(plain), protocol);
    }
  }
}
