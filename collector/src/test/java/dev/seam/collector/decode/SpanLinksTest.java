package dev.seam.collector.decode;

import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.id;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Span links as the trace reader reads them, from protobuf and from OTLP/JSON. */
class SpanLinksTest {

  private static final String CONSUMER_TRACE = "3e570000000000000000000000000002";
  private static final String TRACE_A = "3e560000000000000000000000000002";
  private static final String TRACE_B = "3e56000000000000ffffffff00000003";

  private static Span.Link.Builder link(String traceHex, String spanHex) {
    return Span.Link.newBuilder()
        .setTraceId(id(traceHex))
        .setSpanId(id(spanHex))
        .setFlags(0x301)
        .setTraceState("ot=th:0")
        .addAttributes(attr("messaging.kafka.offset", 1002));
  }

  @Test
  void aBatchConsumersLinksAreReadInOrderFromProtobuf() throws Exception {
    Span.Builder consumer =
        span(CONSUMER_TRACE, "3e57b00000000002", "", SpanKind.SPAN_KIND_CONSUMER, T0, 6_000_000)
            .addLinks(link(TRACE_A, "3e56a00000000002"))
            .addLinks(link(TRACE_B, "3e56a00000000003"))
            // Malformed contexts are not kept: a 15-byte trace id, a zero span id, no trace id.
            .addLinks(link("3e5600000000000000000000000003", "3e56a00000000004"))
            .addLinks(link(TRACE_B, "0000000000000000"))
            .addLinks(Span.Link.newBuilder().setSpanId(id("3e56a00000000005")))
            .addLinks(link(TRACE_B, "3e56a00000000004"))
            .addAttributes(attr("messaging.system", "kafka"));
    byte[] body = traces(resourceSpans(resource("ledger", "rust"), consumer)).toByteArray();

    RawSpan s = new TraceReader(new StringTable(64)).read(body).span(0);

    assertEquals(3, s.linkCount());
    assertEquals(0x3e56000000000000L, s.linkTraceIdHigh(0));
    assertEquals(2L, s.linkTraceIdLow(0));
    assertEquals(0x3e56a00000000002L, s.linkSpanId(0));
    assertEquals(0x3e56000000000000L, s.linkTraceIdHigh(1));
    assertEquals(0xffffffff00000003L, s.linkTraceIdLow(1));
    assertEquals(0x3e56a00000000003L, s.linkSpanId(1));
    assertEquals(0x3e56a00000000004L, s.linkSpanId(2));
    // The span's own fields around the links are read as before.
    assertEquals(1, s.attributeCount());
    assertEquals("kafka", s.find("messaging.system"));
  }

  @Test
  void aSpanWithoutLinksAfterOneWithLinksHasNone() throws Exception {
    TraceReader reader = new TraceReader(new StringTable(64));
    byte[] linked =
        traces(
                resourceSpans(
                    resource("ledger", "rust"),
                    span(CONSUMER_TRACE, "3e57b00000000002", "", SpanKind.SPAN_KIND_CONSUMER, T0, 1)
                        .addLinks(link(TRACE_A, "3e56a00000000002"))))
            .toByteArray();
    byte[] plain =
        traces(
                resourceSpans(
                    resource("ledger", "rust"),
                    span(
                        CONSUMER_TRACE,
                        "3e57b00000000003",
                        "",
                        SpanKind.SPAN_KIND_CONSUMER,
                        T0,
                        1)))
            .toByteArray();
    assertEquals(1, reader.read(linked).span(0).linkCount());
    // The reader reuses its spans: the links of the previous request must not leak.
    assertEquals(0, reader.read(plain).span(0).linkCount());
  }

  @Test
  void linksAreReadFromOtlpJsonWithHexIds() throws Exception {
    String json =
        """
        {"resourceSpans": [{
          "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "ledger"}}]},
          "scopeSpans": [{"scope": {"name": "ledger"}, "spans": [{
            "traceId": "3e570000000000000000000000000001",
            "spanId": "3e57b00000000001",
            "flags": 257,
            "name": "process orders",
            "kind": 5,
            "startTimeUnixNano": "1767225601011000000",
            "endTimeUnixNano": "1767225601014000000",
            "links": [
              {"traceId": "3E560000000000000000000000000001", "spanId": "3e56a00000000001",
               "flags": 769},
              {"traceId": "3e560000000000000000000000000006", "spanId": "3e56a00000000006",
               "traceState": "", "attributes": [], "droppedAttributesCount": 0},
              {"traceId": "", "spanId": "3e56a00000000007"}
            ]
          }]}]
        }]}
        """;
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    byte[] body = OtlpJson.traces(utf8).toByteArray();

    // The same links through the general path (JSON to protobuf) and the streaming JSON reader.
    assertLinks(new TraceReader(new StringTable(64)).read(body).span(0));
    assertLinks(new TraceReader(new StringTable(64)).readJson(utf8).span(0));
  }

  private static void assertLinks(RawSpan s) {
    assertEquals(2, s.linkCount());
    assertEquals(0x3e56000000000000L, s.linkTraceIdHigh(0));
    assertEquals(1L, s.linkTraceIdLow(0));
    assertEquals(0x3e56a00000000001L, s.linkSpanId(0));
    assertEquals(6L, s.linkTraceIdLow(1));
    assertEquals(0x3e56a00000000006L, s.linkSpanId(1));
  }
}
