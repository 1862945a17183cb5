package dev.seam.collector.receive;

import com.google.protobuf.Message;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.model.Signal;
import java.util.concurrent.CompletionStage;

/**
 * An {@link ExportHandler} that hands the export on and answers once that is done, such as Seam's
 * front tier writing it to Kafka. Called on pipeline worker threads; the answer may complete on any
 * thread.
 */
@FunctionalInterface
public interface AsyncExportHandler {

  /**
   * Takes one export body; the stage completes with the OTLP reply, or with an {@link
   * ExportUnavailableException} when the export could not be handed on and the client should retry.
   *
   * @throws OtlpDecodeException when the body is not an export request of its signal
   */
  CompletionStage<Message> export(Signal signal, byte[] body, OtlpFormat format, String protocol)
      throws OtlpDecodeException;
}
