package dev.seam.collector.decode;

/** How an OTLP export body is encoded: protobuf (gRPC and OTLP/HTTP) or OTLP JSON (OTLP/HTTP). */
public enum OtlpFormat {
  PROTOBUF,
  JSON
}
