package dev.seam.collector.pipeline;

import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Trace exports as protobuf bytes through the trace handler, counted span by span. */
class TraceHandlerTest {

  private static final long MS = 1_000_000L;
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";

  /** A Go caller. */
  private static ResourceSpans caller() {
    return resourceSpans(
        resource("gateway", "go"),
        span(TRACE, "00000000000000a1", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
            .addAttributes(attr("http.request.method", "GET")));
  }

  /** Its Rust callee, and a span with a 15-byte trace id that is refused. */
  private static ResourceSpans calleeAndInvalid() {
    return resourceSpans(
        resource("pricing", "rust"),
        span(
                TRACE,
                "00000000000000a2",
                "00000000000000a1",
                SpanKind.SPAN_KIND_SERVER,
                T0 + MS,
                2 * MS)
            .setFlags(REMOTE_PARENT)
            .addAttributes(attr("http.route", "/p")),
        span(
            "000000000000000000000000000001",
            "00000000000000a3",
            "",
            SpanKind.SPAN_KIND_SERVER,
            T0,
            MS));
  }

  private static TraceHandler handler(Parts parts, ServiceNames names, Forwarder forwarder) {
    Origins origins = new Origins(names);
    return new TraceHandler(
        new SpanNormalizer(Set.of(), names),
        origins,
        parts.store,
        null,
        forwarder,
        new ForwardRewriter(origins, null),
        parts.accounting);
  }

  @Test
  void pairsACallerWithItsCalleeAndCountsEverySpan() throws Exception {
    Parts parts = new Parts();
    ExportTraceServiceResponse response =
        handler(parts, ServiceNames.AS_REPORTED, null)
            .export(traces(caller(), calleeAndInvalid()).toByteArray(), "grpc");

    assertEquals(1, response.getPartialSuccess().getRejectedSpans());
    assertEquals(
        "rejected 1 of 3 spans: span has a 15-byte trace_id (want 16)",
        response.getPartialSuccess().getErrorMessage());
    Scrape s = parts.scrape();
    assertEquals(2, s.value("seam_received_items_total", "signal", "spans", "protocol", "grpc"));
    assertEquals(0, s.value("seam_received_items_total", "signal", "spans", "protocol", "http"));
    assertEquals(1, s.value("seam_refused_items_total", "signal", "spans", "reason", "invalid"));
    assertEquals(2, s.value("seam_processed_items_total", "signal", "spans"));
    assertEquals(
        0, s.value("seam_dropped_items_total", "signal", "spans", "reason", "internal_error"));
    List<Edge> edges = parts.listener.edges();
    assertEquals(1, edges.size());
    assertEquals("gateway", edges.get(0).caller().origin().service());
    assertEquals("pricing", edges.get(0).callee().origin().service());
    // Both halves stay held as candidate parents for the rest of the window.
    assertEquals(2, parts.store.pending());
  }

  @Test
  void aFullyValidExportGetsAnEmptyReply() throws Exception {
    Parts parts = new Parts();
    ExportTraceServiceResponse response =
        handler(parts, ServiceNames.AS_REPORTED, null)
            .export(traces(caller()).toByteArray(), "http");

    assertFalse(response.hasPartialSuccess());
    assertEquals(
        1,
        parts.scrape().value("seam_received_items_total", "signal", "spans", "protocol", "http"));
    assertEquals(
        0,
        parts.scrape().value("seam_refused_items_total", "signal", "spans", "reason", "invalid"));
  }

  @Test
  void aRequestWithOneBadResourceIsRefusedBeforeAnySpanIsCounted() throws Exception {
    Parts parts = new Parts();
    // A second resource whose attribute bytes are no KeyValue: the first resource's span is valid,
    // and still nothing of the request may be counted or held.
    ByteArrayOutputStream badResource = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(badResource);
    r.writeByteArray(1, new byte[] {(byte) 0xff, (byte) 0xff});
    r.flush();
    ByteArrayOutputStream badSpans = new ByteArrayOutputStream();
    CodedOutputStream rs = CodedOutputStream.newInstance(badSpans);
    rs.writeByteArray(1, badResource.toByteArray());
    rs.writeByteArray(2, calleeAndInvalid().getScopeSpans(0).toByteArray());
    rs.flush();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(traces(caller()).toByteArray());
    CodedOutputStream b = CodedOutputStream.newInstance(body);
    b.writeByteArray(1, badSpans.toByteArray());
    b.flush();

    TraceHandler handler = handler(parts, ServiceNames.AS_REPORTED, null);
    OtlpDecodeException e =
        assertThrows(OtlpDecodeException.class, () -> handler.export(body.toByteArray(), "grpc"));
    assertTrue(e.getMessage().startsWith("invalid OTLP protobuf Resource"), e.getMessage());
    Scrape s = parts.scrape();
    assertEquals(0, s.sum("seam_received_items_total", "signal", "spans"));
    assertEquals(0, s.sum("seam_refused_items_total", "signal", "spans"));
    assertEquals(0, s.sum("seam_processed_items_total", "signal", "spans"));
    assertEquals(0, parts.store.pending());
  }

  @Test
  void forwardsTheBytesAsReceivedWhenNothingInThemChanges() throws Exception {
    Parts parts = new Parts();
    try (Downstream down = new Downstream()) {
      Forwarder forwarder = down.forwarder(parts.registry);
      byte[] body = traces(caller()).toByteArray();
      handler(parts, ServiceNames.AS_REPORTED, forwarder).export(body, "grpc");

      Downstream.Received sent = down.next();
      assertEquals("/v1/traces", sent.path());
      assertArrayEquals(body, sent.body());
      forwarder.close(5_000).await(10, TimeUnit.SECONDS);
      assertEquals(
          1,
          parts.scrape().value("seam_forwarded_items_total", "signal", "spans", "outcome", "sent"));
    }
  }

  @Test
  void forwardsOnlyTheAcceptedSpansUnderTheNamesSeamShows() throws Exception {
    Parts parts = new Parts();
    try (Downstream down = new Downstream()) {
      Forwarder forwarder = down.forwarder(parts.registry);
      ServiceNames names = new ServiceNames(Map.of("pricing", "pricing-core"), false);
      handler(parts, names, forwarder)
          .export(traces(caller(), calleeAndInvalid()).toByteArray(), "grpc");

      ExportTraceServiceRequest sent = ExportTraceServiceRequest.parseFrom(down.next().body());
      assertEquals(2, sent.getResourceSpansCount());
      assertEquals(
          traces(caller()).getResourceSpans(0),
          sent.getResourceSpans(0),
          "nothing in the caller's batch changes");
      ResourceSpans callee = sent.getResourceSpans(1);
      assertEquals(
          List.of(attr("telemetry.sdk.language", "rust"), attr("service.name", "pricing-core")),
          callee.getResource().getAttributesList());
      assertEquals(
          List.of(calleeAndInvalid().getScopeSpans(0).getSpans(0)),
          callee.getScopeSpans(0).getSpansList());
      forwarder.close(5_000).await(10, TimeUnit.SECONDS);
      assertEquals(
          2,
          parts.scrape().value("seam_forwarded_items_total", "signal", "spans", "outcome", "sent"));
    }
  }

  @Test
  void forwardsNothingWhenEverySpanWasRefused() throws Exception {
    Parts parts = new Parts();
    try (Downstream down = new Downstream()) {
      Forwarder forwarder = down.forwarder(parts.registry);
      ResourceSpans invalidOnly =
          resourceSpans(
              resource("pricing", "rust"),
              span(
                  "000000000000000000000000000001",
                  "00000000000000a3",
                  "",
                  SpanKind.SPAN_KIND_SERVER,
                  T0,
                  MS));
      handler(parts, ServiceNames.AS_REPORTED, forwarder)
          .export(traces(invalidOnly).toByteArray(), "grpc");

      forwarder.close(5_000).await(10, TimeUnit.SECONDS);
      assertNull(down.poll(200));
      assertEquals(0, parts.scrape().sum("seam_forwarded_items_total", "signal", "spans"));
      assertEquals(
          1,
          parts.scrape().value("seam_refused_items_total", "signal", "spans", "reason", "invalid"));
    }
  }

  @Test
  void theRequestFormIsReadLikeItsBytes() {
    Parts parts = new Parts();
    ExportTraceServiceResponse response =
        handler(parts, ServiceNames.AS_REPORTED, null)
            .export(traces(caller(), calleeAndInvalid()), "http");

    assertEquals(1, response.getPartialSuccess().getRejectedSpans());
    assertEquals(
        2,
        parts.scrape().value("seam_received_items_total", "signal", "spans", "protocol", "http"));
    assertEquals(1, parts.listener.edges().size());
  }
}
