package dev.seam.collector.receive;

import dev.seam.collector.config.SeamConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** Turns a receiver's socket into TLS (and mutual TLS) from PEM files. */
final class Tls {

  private Tls() {}

  /** Applies {@code tls} to the options; plain text when it is {@code null}. */
  static void apply(HttpServerOptions options, SeamConfig.Tls tls) {
    if (tls == null) {
      return;
    }
    options.setSsl(true)
        // gRPC needs HTTP/2, which TLS negotiates through ALPN.
        .setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
    if (tls.clientCaFile() != null) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaFile()));
    }
  }
}
