package dev.seam.collector.decode;

import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;

/**
 * Parses OTLP protobuf request bodies, turning every parse failure into an {@link
 * OtlpDecodeException}.
 */
public final class OtlpProtobuf {

  private OtlpProtobuf() {}

  /** Parses an {@code ExportTraceServiceRequest}. */
  public static ExportTraceServiceRequest traces(byte[] body) throws OtlpDecodeException {
    try {
      return ExportTraceServiceRequest.parseFrom(input(body));
    } catch (IOException | RuntimeException e) {
      throw failure("ExportTraceServiceRequest", e);
    }
  }

  /** Parses an {@code ExportLogsServiceRequest}. */
  public static ExportLogsServiceRequest logs(byte[] body) throws OtlpDecodeException {
    try {
      return ExportLogsServiceRequest.parseFrom(input(body));
    } catch (IOException | RuntimeException e) {
      throw failure("ExportLogsServiceRequest", e);
    }
  }

  /** Parses an {@code ExportMetricsServiceRequest}. */
  public static ExportMetricsServiceRequest metrics(byte[] body) throws OtlpDecodeException {
    try {
      return ExportMetricsServiceRequest.parseFrom(input(body));
    } catch (IOException | RuntimeException e) {
      throw failure("ExportMetricsServiceRequest", e);
    }
  }

  private static CodedInputStream input(byte[] body) {
    CodedInputStream in = CodedInputStream.newInstance(body);
    // The body is already bounded by the receiver; protobuf's own 64 MiB default must not cut it
    // shorter.
    in.setSizeLimit(Integer.MAX_VALUE);
    return in;
  }

  private static OtlpDecodeException failure(String type, Exception e) {
    return new OtlpDecodeException("invalid OTLP protobuf " + type + ": " + e.getMessage(), e);
  }
}
