package dev.seam.collector.receive;

import com.google.protobuf.Message;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.model.Signal;

/**
 * Where the receivers hand an export body once it is inflated and within its limit: the one thing
 * they need from the pipeline. Called on pipeline worker threads, never on an event loop.
 */
@FunctionalInterface
public interface ExportHandler {

  /**
   * Processes one export body and returns the OTLP reply to send, whose {@code partial_success}
   * says how many items were refused and why (none when it is empty).
   *
   * @param signal what the body carries, as the endpoint or gRPC service says
   * @param body the body, inflated
   * @param format how the body is encoded
   * @param protocol the {@code protocol} label the items are counted under
   * @throws OtlpDecodeException when the body is not an export request of its signal; nothing of it
   *     was counted, and the request is refused as {@code malformed}
   */
  Message export(Signal signal, byte[] body, OtlpFormat format, String protocol)
      throws OtlpDecodeException;
}
