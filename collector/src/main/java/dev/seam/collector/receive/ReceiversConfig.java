package dev.seam.collector.receive;

import dev.seam.collector.component.ComponentConfig;

/**
 * The {@code receivers} section: the OTLP receivers Seam serves.
 *
 * @param otlp the OTLP/gRPC and OTLP/HTTP receivers and their TLS
 */
public record ReceiversConfig(OtlpConfig otlp) implements ComponentConfig {

  /** Both receivers on their standard ports, plain text. */
  public static final ReceiversConfig DEFAULT = new ReceiversConfig(OtlpConfig.DEFAULT);

  /**
   * The {@code receivers.otlp} section.
   *
   * @param grpc the OTLP/gRPC receiver
   * @param http the OTLP/HTTP receiver
   * @param tls TLS for both
   */
  public record OtlpConfig(GrpcConfig grpc, HttpConfig http, TlsConfig tls)
      implements ComponentConfig {

    /** gRPC on 4317, HTTP on 4318, no TLS. */
    public static final OtlpConfig DEFAULT =
        new OtlpConfig(GrpcConfig.DEFAULT, HttpConfig.DEFAULT, TlsConfig.NONE);
  }
}
