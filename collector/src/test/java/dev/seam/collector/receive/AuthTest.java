package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Status;
import dev.seam.collector.config.ConfigException;
import dev.seam.collector.config.ConfigLoader;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens on both receivers and on /metrics; health endpoints stay open for probes. */
class AuthTest {

  private static final String TOKEN = "s3cret-token-for-tests";

  private static RunningSeam start(Path dir) throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# one token per line\n" + TOKEN + "\nsecond-token\n");
    return RunningSeam.start("auth: {tokens-file: '" + file + "', metrics: true}");
  }

  private static HttpResponse<byte[]> post(RunningSeam seam, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(seam.httpBase() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return seam.httpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> get(RunningSeam seam, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(seam.metricsBase() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return seam.httpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpExportsAndScrapesNeedAToken(@TempDir Path dir) throws Exception {
    try (RunningSeam seam = start(dir)) {
      HttpResponse<byte[]> none = post(seam, null);
      assertEquals(401, none.statusCode());
      assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals(16, Status.parseFrom(none.body()).getCode(), "UNAUTHENTICATED");
      assertFalse(new String(none.body()).contains(TOKEN));
      assertEquals(401, post(seam, "Bearer wrong-token").statusCode());
      assertEquals(401, post(seam, "Basic " + TOKEN).statusCode());
      assertEquals(200, post(seam, "Bearer " + TOKEN).statusCode());
      assertEquals(200, post(seam, "bearer second-token").statusCode());

      assertEquals(401, get(seam, "/metrics", null).statusCode());
      assertEquals(200, get(seam, "/healthz", null).statusCode());
      assertEquals(200, get(seam, "/readyz", null).statusCode());
      Scrape s = new Scrape(get(seam, "/metrics", "Bearer " + TOKEN).body());
      assertEquals(
          3,
          s.value(
              "seam_refused_requests_total",
              "signal",
              "spans",
              "protocol",
              "http",
              "reason",
              "unauthenticated"));
    }
  }

  @Test
  void grpcExportsNeedAToken(@TempDir Path dir) throws Exception {
    try (RunningSeam seam = start(dir)) {
      List<SpanData> spans = new CopyOnWriteArrayList<>();
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .setResource(
                  Resource.create(Attributes.builder().put("service.name", "authed").build()))
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

      SpanExporter anonymous =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint(seam.grpcEndpoint())
              .setRetryPolicy(null)
              .build();
      assertFalse(anonymous.export(spans).join(10, TimeUnit.SECONDS).isSuccess());
      SpanExporter authed =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint(seam.grpcEndpoint())
              .addHeader("Authorization", "Bearer " + TOKEN)
              .build();
      assertTrue(authed.export(spans).join(10, TimeUnit.SECONDS).isSuccess());
      anonymous.shutdown();
      authed.shutdown();

      Scrape s = new Scrape(get(seam, "/metrics", "Bearer " + TOKEN).body());
      assertEquals(
          1,
          s.value(
              "seam_refused_requests_total",
              "signal",
              "spans",
              "protocol",
              "grpc",
              "reason",
              "unauthenticated"));
      assertEquals(1, s.value("seam_received_items_total", "signal", "spans", "protocol", "grpc"));
    }
  }

  @Test
  void tokenSourcesAreValidated(@TempDir Path dir) throws Exception {
    ConfigException e =
        Assertions.assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml("auth: {tokens-file: '" + dir.resolve("missing") + "'}"));
    assertTrue(e.getMessage().contains("'auth.tokens-file'"), e.getMessage());
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "# nothing\n\n");
    e =
        Assertions.assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml("auth: {tokens-file: '" + empty + "'}"));
    assertTrue(e.getMessage().contains("holds no token"), e.getMessage());
    e =
        Assertions.assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml("auth: {tokens-env: SEAM_NO_SUCH_VARIABLE_X}"));
    assertTrue(e.getMessage().contains("'auth.tokens-env'"), e.getMessage());
    e =
        Assertions.assertThrows(
            ConfigException.class, () -> ConfigLoader.fromYaml("auth: {metrics: true}"));
    assertTrue(e.getMessage().contains("'auth.metrics'"), e.getMessage());
    assertFalse(ConfigLoader.fromYaml().auth().tokens(System::getenv).enabled());
    // Secrets stay out of anything printed.
    Path file = dir.resolve("tokens");
    Files.writeString(file, TOKEN + "\n");
    assertFalse(
        ConfigLoader.fromYaml("auth: {tokens-file: '" + file + "'}").toString().contains(TOKEN));
  }

  @Test
  void tokensAreComparedWhole() {
    BearerTokens t = new BearerTokens(List.of("abc123", " spaced "));
    assertTrue(t.accepts("Bearer abc123"));
    assertTrue(t.accepts("Bearer spaced"));
    assertFalse(t.accepts("Bearer abc12"));
    assertFalse(t.accepts("Bearer abc1234"));
    assertFalse(t.accepts("Bearer "));
    assertFalse(t.accepts(null));
    assertTrue(BearerTokens.NONE.accepts(null), "no tokens configured: authentication is off");
  }
}
