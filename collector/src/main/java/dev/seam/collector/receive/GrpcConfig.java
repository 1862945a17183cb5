package dev.seam.collector.receive;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.Size;

/**
 * The {@code receivers.otlp.grpc} section.
 *
 * @param enabled whether OTLP/gRPC is served
 * @param host the address it binds
 * @param port its port; 0 picks a free one
 * @param maxMessageSize the largest export message, checked on the frame and after inflation
 */
public record GrpcConfig(boolean enabled, String host, int port, Size maxMessageSize)
    implements ComponentConfig {

  /** A gRPC length prefix is 32 bits. */
  private static final long LARGEST_FRAME = 0xFFFFFFFFL;

  /** {@code 0.0.0.0:4317}, 16 MiB messages. */
  public static final GrpcConfig DEFAULT = new GrpcConfig(true, "0.0.0.0", 4317, Size.mib(16));

  @Override
  public void validate() {
    Checks.notBlank("host", host);
    Checks.port("port", port);
    Checks.between("max-message-size", maxMessageSize, 1024, LARGEST_FRAME);
  }
}
