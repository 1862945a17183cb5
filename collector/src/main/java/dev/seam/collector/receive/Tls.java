package dev.seam.collector.receive;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/** Turns a receiver's socket into TLS (and mutual TLS) from PEM files. */
final class Tls {

  private Tls() {}

  /** Applies {@code tls} to the options; plain text when it is not enabled. */
  static void apply(HttpServerOptions options, TlsConfig tls) {
    if (!tls.enabled()) {
      return;
    }
    options
        .setSsl(true)
        // gRPC needs HTTP/2, which TLS negotiates through ALPN.
        .setUseAlpn(true)
        .setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
    if (tls.mutual()) {
      options
          .setClientAuth(ClientAuth.REQUIRED)
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaFile()));
    }
  }
}
