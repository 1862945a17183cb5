package dev.seam.collector.receive;

import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code receivers.otlp.tls} section: TLS for both receivers from PEM files. All empty means
 * plain text.
 *
 * @param certFile PEM certificate chain
 * @param keyFile PEM private key of that certificate
 * @param clientCaFile PEM CA that client certificates must chain to (mutual TLS), or empty
 */
public record TlsConfig(String certFile, String keyFile, String clientCaFile)
    implements ComponentConfig {

  /** Plain text. */
  public static final TlsConfig NONE = new TlsConfig("", "", "");

  public TlsConfig {
    certFile = certFile.trim();
    keyFile = keyFile.trim();
    clientCaFile = clientCaFile.trim();
  }

  /** Whether the receivers speak TLS. */
  public boolean enabled() {
    return !certFile.isEmpty() || !keyFile.isEmpty() || !clientCaFile.isEmpty();
  }

  /** Whether clients must present a certificate. */
  public boolean mutual() {
    return !clientCaFile.isEmpty();
  }

  @Override
  public void validate() {
    if (!enabled()) {
      return;
    }
    if (certFile.isEmpty()) {
      throw new InvalidConfigException("cert-file", "must be set with key-file (they go together)");
    }
    if (keyFile.isEmpty()) {
      throw new InvalidConfigException("key-file", "must be set with cert-file (they go together)");
    }
    readable("cert-file", certFile);
    readable("key-file", keyFile);
    readable("client-ca-file", clientCaFile);
  }

  private static void readable(String key, String file) {
    if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
      throw new InvalidConfigException(key, "cannot read " + file);
    }
  }
}
