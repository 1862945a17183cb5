package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.config.ConfigException;
import dev.seam.collector.config.ConfigLoader;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on both receivers, with certificates made by openssl for the test. */
class TlsTest {

  @TempDir static Path dir;

  private static List<SpanData> spans;

  private static void openssl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(
        p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
        "openssl " + String.join(" ", args) + ":\n" + out);
  }

  @BeforeAll
  static void certificates() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=seam-test-ca");
    for (String who : new String[] {"server", "client"}) {
      openssl(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          who + ".key",
          "-out",
          who + ".csr",
          "-subj",
          "/CN=" + who);
      Files.writeString(dir.resolve(who + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
      openssl(
          "x509",
          "-req",
          "-in",
          who + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          who + ".pem",
          "-days",
          "2",
          "-extfile",
          who + ".ext");
    }
    spans = new CopyOnWriteArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.create(Attributes.builder().put("service.name", "tls-client").build()))
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    new SpanExporter() {
                      @Override
                      public CompletableResultCode export(Collection<SpanData> batch) {
                        spans.addAll(batch);
                        return CompletableResultCode.ofSuccess();
                      }

                      @Override
                      public CompletableResultCode flush() {
                        return CompletableResultCode.ofSuccess();
                      }

                      @Override
                      public CompletableResultCode shutdown() {
                        return CompletableResultCode.ofSuccess();
                      }
                    }))
            .build();
    provider.get("t").spanBuilder("op").startSpan().end();
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }

  private static String tls(boolean mutual) {
    return "receivers: {otlp: {tls: {cert-file: '"
        + dir.resolve("server.pem")
        + "', key-file: '"
        + dir.resolve("server.key")
        + "'"
        + (mutual ? ", client-ca-file: '" + dir.resolve("ca.pem") + "'" : "")
        + "}}}";
  }

  private static boolean export(SpanExporter exporter) {
    try {
      return exporter.export(spans).join(15, TimeUnit.SECONDS).isSuccess();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void bothReceiversSpeakTls() throws Exception {
    byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
    try (RunningSeam seam = RunningSeam.start(tls(false))) {
      String grpc = "https://127.0.0.1:" + seam.grpcPort();
      String http = "https://127.0.0.1:" + seam.httpPort() + "/v1/traces";
      assertTrue(
          export(
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint(grpc)
                  .setTrustedCertificates(ca)
                  .setRetryPolicy(null)
                  .build()));
      assertTrue(
          export(
              OtlpHttpSpanExporter.builder()
                  .setEndpoint(http)
                  .setTrustedCertificates(ca)
                  .setRetryPolicy(null)
                  .build()));
      // Plain text against a TLS port gets nowhere.
      assertFalse(
          export(
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint("http://127.0.0.1:" + seam.grpcPort())
                  .setRetryPolicy(null)
                  .setTimeout(Duration.ofSeconds(3))
                  .build()));
      Scrape s = seam.scrape();
      assertEquals(1, s.value("seam_received_items_total", "signal", "spans", "protocol", "grpc"));
      assertEquals(1, s.value("seam_received_items_total", "signal", "spans", "protocol", "http"));
    }
  }

  @Test
  void mutualTlsRequiresAClientCertificateFromTheCa() throws Exception {
    byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
    byte[] clientKey = Files.readAllBytes(dir.resolve("client.key"));
    byte[] clientCert = Files.readAllBytes(dir.resolve("client.pem"));
    try (RunningSeam seam = RunningSeam.start(tls(true))) {
      String grpc = "https://127.0.0.1:" + seam.grpcPort();
      String http = "https://127.0.0.1:" + seam.httpPort() + "/v1/traces";
      assertFalse(
          export(
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint(grpc)
                  .setTrustedCertificates(ca)
                  .setRetryPolicy(null)
                  .build()),
          "no client certificate: refused");
      assertTrue(
          export(
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint(grpc)
                  .setTrustedCertificates(ca)
                  .setClientTls(clientKey, clientCert)
                  .setRetryPolicy(null)
                  .build()));
      assertTrue(
          export(
              OtlpHttpSpanExporter.builder()
                  .setEndpoint(http)
                  .setTrustedCertificates(ca)
                  .setClientTls(clientKey, clientCert)
                  .setRetryPolicy(null)
                  .build()));
      Scrape s = seam.scrape();
      assertEquals(2, s.sum("seam_received_items_total", "signal", "spans"));
    }
  }

  @Test
  void tlsFilesAreValidated() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.fromYaml(
                    "receivers: {otlp: {tls: {cert-file: '" + dir.resolve("server.pem") + "'}}}"));
    assertTrue(e.getMessage().contains("'receivers.otlp.tls.key-file'"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.fromYaml(
                    "receivers: {otlp: {tls: {cert-file: /nonexistent.pem, key-file:"
                        + " /nonexistent.key}}}"));
    assertTrue(e.getMessage().contains("'receivers.otlp.tls.cert-file'"), e.getMessage());
  }
}
