package dev.seam.collector;

import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.seam.collector.config.ConfigLoader;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.forward.ForwardConfig;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.model.Signal;
import dev.seam.collector.pair.PairingConfig;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.Scrape;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An assembly built from configuration, driven with encoded OTLP exports: what each setting it
 * wires changes, counted on the registry it exports.
 */
class AssemblyTest {

  private static final long MS = 1_000_000L;
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";

  private final AtomicLong clock = new AtomicLong();

  private Assembly build(String yaml) throws Exception {
    return Assembly.build(ConfigLoader.fromYaml(yaml), registry -> null, clock::get);
  }

  private static Scrape scrape(Assembly a) {
    return new Scrape(a.registry().scrape());
  }

  /**
   * A Go caller and its Rust callee in trace {@code trace}, the callee named {@code callee} and
   * reporting 4096 allocated bytes in the attribute {@code allocatedAttribute}.
   */
  private static byte[] call(String trace, String callee, String allocatedAttribute) {
    return traces(
            resourceSpans(
                resource("gateway", "go"),
                span(trace, "00000000000000a1", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
                    .addAttributes(attr("http.request.method", "GET"))),
            resourceSpans(
                resource(callee, "rust"),
                span(
                        trace,
                        "00000000000000a2",
                        "00000000000000a1",
                        SpanKind.SPAN_KIND_SERVER,
                        T0 + MS,
                        2 * MS)
                    .setFlags(REMOTE_PARENT)
                    .addAttributes(attr("http.route", "/p"))
                    .addAttributes(attr(allocatedAttribute, 4096))))
        .toByteArray();
  }

  @Test
  void pairsAndMeasuresOnTheRegistryItExports() throws Exception {
    Assembly a = build("");
    a.pipeline()
        .export(
            Signal.SPANS,
            call(TRACE, "pricing", "seam.allocated_bytes"),
            OtlpFormat.PROTOBUF,
            "grpc");

    Scrape s = scrape(a);
    assertEquals(
        1,
        s.value(
            "seam_boundary_calls_total",
            "caller_service",
            "gateway",
            "callee_service",
            "pricing",
            "transport",
            "http"));
    assertEquals(
        4096, s.value("seam_boundary_callee_allocated_bytes_sum", "callee_service", "pricing"));
    assertEquals(2, s.value("seam_received_items_total", "signal", "spans", "protocol", "grpc"));
    // The accounting series exist at 0 from the start, for dashboards to divide by.
    assertEquals(0, s.value("seam_received_items_total", "signal", "logs", "protocol", "http"));
    assertEquals(2, s.value("seam_pairing_pending"));
    assertEquals(2, a.store().pending());
    assertEquals(2_000_000, s.value("seam_pairing_capacity"));
    assertNull(a.forwarder());
  }

  @Test
  void pairingBoundsTheHeapCannotHoldAreLoweredAndSaidInTheLog() {
    List<String> logged = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            logged.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(Assembly.class.getName());
    log.addHandler(handler);
    try {
      PairingConfig p = Assembly.fitted(PairingConfig.DEFAULT, 256L << 20);
      assertEquals(720_361, p.maxPending());
      assertEquals(828_415, p.maxEndedSpans());
      assertEquals(
          List.of(
              "pairing: a 256 MiB heap holds 720,361 pending entries (pairing.max-pending"
                  + " 2,000,000) and 828,415 ended spans (pairing.max-ended-spans 2,000,000); give"
                  + " the JVM more heap to hold more, or set pairing.fit-to-heap: false"),
          logged);
      logged.clear();
      assertSame(PairingConfig.DEFAULT, Assembly.fitted(PairingConfig.DEFAULT, 1L << 30));
      assertEquals(List.of(), logged);
    } finally {
      log.removeHandler(handler);
    }
  }

  @Test
  void theConfiguredStoreBoundAndAllocationAttributesAreUsed() throws Exception {
    Assembly a =
        build("pairing: {max-pending: 5000}\nboundary: {allocated-bytes-attributes: [rust.alloc]}");
    a.pipeline()
        .export(
            Signal.SPANS,
            call(TRACE, "pricing", "seam.allocated_bytes"),
            OtlpFormat.PROTOBUF,
            "grpc");
    a.pipeline()
        .export(
            Signal.SPANS,
            call("00000000000000000000000000000b02", "pricing", "rust.alloc"),
            OtlpFormat.PROTOBUF,
            "grpc");

    Scrape s = scrape(a);
    assertEquals(5000, s.value("seam_pairing_capacity"));
    // Allocation is read from the configured attribute only, not from the default one.
    assertEquals(2, s.value("seam_boundary_calls_total", "callee_service", "pricing"));
    assertEquals(
        1, s.value("seam_boundary_callee_allocated_bytes_count", "callee_service", "pricing"));
    assertEquals(
        4096, s.value("seam_boundary_callee_allocated_bytes_sum", "callee_service", "pricing"));
  }

  @Test
  void serviceAliasesApplyToBoundariesAndLogs() throws Exception {
    Assembly a = build("normalize: {service: {aliases: {pricing-svc: pricing}}}");
    a.pipeline()
        .export(
            Signal.SPANS,
            call(TRACE, "pricing-svc", "seam.allocated_bytes"),
            OtlpFormat.PROTOBUF,
            "http");
    a.pipeline()
        .export(
            Signal.LOGS,
            Otlp.logs(
                    resource("pricing-svc", "rust"),
                    LogRecord.newBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR))
                .toByteArray(),
            OtlpFormat.PROTOBUF,
            "http");

    Scrape s = scrape(a);
    assertEquals(
        1,
        s.value(
            "seam_boundary_calls_total", "caller_service", "gateway", "callee_service", "pricing"));
    assertEquals(1, s.value("seam_log_records_total", "service", "pricing", "severity", "error"));
    assertEquals(0, s.find("seam_log_records_total", "service", "pricing-svc").size());
  }

  @ParameterizedTest(name = "log-context enabled: {0}")
  @ValueSource(booleans = {true, false})
  void logContextIsRecoveredOnlyWhenSwitchedOn(boolean enabled) throws Exception {
    Assembly a = build("normalize: {log-context: {enabled: " + enabled + "}}");
    a.pipeline()
        .export(
            Signal.SPANS,
            call(TRACE, "pricing", "seam.allocated_bytes"),
            OtlpFormat.PROTOBUF,
            "grpc");
    LogRecord.Builder error =
        LogRecord.newBuilder()
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
            .setBody(
                AnyValue.newBuilder()
                    .setStringValue(
                        "{\"trace_id\":\"" + TRACE + "\",\"span_id\":\"00000000000000a2\"}"));
    a.pipeline()
        .export(
            Signal.LOGS,
            Otlp.logs(resource("pricing", "rust"), error).toByteArray(),
            OtlpFormat.PROTOBUF,
            "grpc");

    Scrape s = scrape(a);
    assertEquals(enabled ? 1 : 0, s.sum("seam_log_context_recovered_total", "service", "pricing"));
    assertEquals(enabled ? 1 : 0, s.sum("seam_boundary_error_logs_total", "side", "callee"));
    assertEquals(1, s.value("seam_log_records_total", "service", "pricing", "severity", "error"));
  }

  @ParameterizedTest(name = "context-broken enabled: {0}")
  @ValueSource(booleans = {true, false})
  void aLostContextIsFoundOnlyWhenSwitchedOn(boolean enabled) throws Exception {
    Assembly a = build("pairing: {context-broken: {enabled: " + enabled + "}}");
    // The Go client sent no traceparent: the Rust server began a trace of its own.
    a.pipeline()
        .export(
            Signal.SPANS,
            traces(
                    resourceSpans(
                        resource("gateway", "go"),
                        span(
                                "00000000000000000000000000001a01",
                                "0000000000001a01",
                                "",
                                SpanKind.SPAN_KIND_CLIENT,
                                T0,
                                10 * MS)
                            .addAttributes(attr("http.request.method", "GET"))
                            .addAttributes(attr("peer.service", "pricing"))),
                    resourceSpans(
                        resource("pricing", "rust"),
                        span(
                                "00000000000000000000000000001b01",
                                "0000000000001b01",
                                "",
                                SpanKind.SPAN_KIND_SERVER,
                                T0 + 2 * MS,
                                5 * MS)
                            .addAttributes(attr("http.request.method", "GET"))
                            .addAttributes(attr("http.route", "/price/{id}"))))
                .toByteArray(),
            OtlpFormat.PROTOBUF,
            "grpc");
    clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
    a.store().expire();

    Scrape s = scrape(a);
    assertEquals(
        enabled ? 1 : 0,
        s.sum(
            "seam_boundary_context_broken_total",
            "caller_service",
            "gateway",
            "callee_service",
            "pricing"));
    assertEquals(
        enabled ? 1 : 0,
        s.sum("seam_boundary_unpaired_total", "side", "caller", "reason", "context_broken"));
    assertEquals(
        enabled ? 0 : 1,
        s.sum("seam_boundary_unpaired_total", "side", "caller", "reason", "callee_missing"));
  }

  @Test
  void theForwarderIsMadeForTheRegistryItExports() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicReference<MeterRegistry> given = new AtomicReference<>();
      AtomicReference<Forwarder> made = new AtomicReference<>();
      ForwardConfig config =
          new ForwardConfig(
              true,
              "http://127.0.0.1:9",
              "http/protobuf",
              List.of("spans"),
              "none",
              Duration.ofSeconds(1),
              100,
              1,
              new ForwardConfig.RetryConfig(
                  Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(1)),
              Map.of());
      Assembly a =
          Assembly.build(
              ConfigLoader.fromYaml(""),
              registry -> {
                given.set(registry);
                made.set(new Forwarder(vertx, config, registry));
                return made.get();
              },
              clock::get);

      assertSame(a.registry(), given.get());
      assertSame(made.get(), a.forwarder());
      assertEquals(0, scrape(a).value("seam_forward_queue_items"));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
