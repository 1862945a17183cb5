package dev.seam.collector.receive;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.Size;

/**
 * The {@code receivers.otlp.http} section.
 *
 * @param enabled whether OTLP/HTTP is served
 * @param host the address it binds
 * @param port its port; 0 picks a free one
 * @param maxBodySize the largest request body, as received and after inflation
 */
public record HttpConfig(boolean enabled, String host, int port, Size maxBodySize)
    implements ComponentConfig {

  /** A body is read into one array, which a JVM caps just under 2^31 bytes. */
  private static final long LARGEST_BODY = Integer.MAX_VALUE - 16;

  /** {@code 0.0.0.0:4318}, 16 MiB bodies. */
  public static final HttpConfig DEFAULT = new HttpConfig(true, "0.0.0.0", 4318, Size.mib(16));

  @Override
  public void validate() {
    Checks.notBlank("host", host);
    Checks.port("port", port);
    Checks.between("max-body-size", maxBodySize, 1024, LARGEST_BODY);
  }
}
