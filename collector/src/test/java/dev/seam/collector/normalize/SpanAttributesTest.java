package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.decode.RawSpan;
import dev.seam.collector.model.ProtocolHint;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpanAttributesTest {

  private final SpanAttributes a = new SpanAttributes();

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private void read(KeyValue... attributes) {
    Span.Builder b = Span.newBuilder().setName("op");
    for (KeyValue kv : attributes) {
      b.addAttributes(kv);
    }
    a.read(RawSpan.of(b.build()), Set.of("seam.allocated_bytes"));
  }

  @Test
  void aSpanWithoutAttributesHoldsNothing() {
    read();
    assertEquals(ProtocolHint.NONE, a.transportHint());
    assertEquals(-1, a.grpcCode);
    assertFalse(a.hasHttpStatus());
    assertEquals(-1, a.requestBytes);
    assertEquals(-1, a.responseBytes);
    assertEquals(-1, a.allocatedBytes);
    assertNull(a.peerService);
    assertNull(a.otelKind);
  }

  @Test
  void nothingOfOneSpanIsLeftForTheNext() {
    read(
        attr("messaging.system", "kafka"),
        attr("messaging.destination.name", "orders"),
        attr("rpc.system", "grpc"),
        attr("rpc.service", "pricing.Pricer"),
        attr("rpc.method", "Quote"),
        attr("rpc.grpc.status_code", 14),
        attr("http.method", "GET"),
        attr("http.status_code", 503),
        attr("http.route", "/quote"),
        attr("db.system", "postgresql"),
        attr("peer.service", "pricing"),
        attr("server.address", "pricing.local"),
        attr("network.peer.address", "10.0.0.7"),
        attr("error.type", "timeout"),
        attr("otel.status_code", "ERROR"),
        attr("otel.status_description", "boom"),
        attr("otel.kind", "client"),
        attr("http.request.body.size", 10),
        attr("http.response.body.size", 20),
        attr("seam.allocated_bytes", 30));
    assertEquals(ProtocolHint.MESSAGING, a.transportHint());
    assertTrue(a.otelStatusError);
    assertEquals(30, a.allocatedBytes);

    read(attr("url.full", "http://x/"));
    assertEquals(ProtocolHint.NONE, a.transportHint());
    assertFalse(a.http);
    assertFalse(a.messaging);
    assertFalse(a.database);
    assertFalse(a.otelStatusError);
    assertFalse(a.hasHttpStatus());
    assertEquals(-1, a.grpcCode);
    assertEquals(-1, a.requestBytes);
    assertEquals(-1, a.responseBytes);
    assertEquals(-1, a.allocatedBytes);
    for (String s :
        new String[] {
          a.rpcSystem,
          a.rpcService,
          a.rpcMethod,
          a.route,
          a.destination,
          a.errorType,
          a.otelStatusDescription,
          a.otelKind,
          a.peerService,
          a.serverAddress,
          a.peerAddress
        }) {
      assertNull(s);
    }
  }

  @Test
  void transportHintsRankMessagingThenRpcThenHttpThenDatabase() {
    read(attr("db.system", "redis"), attr("http.method", "GET"));
    assertEquals(ProtocolHint.HTTP, a.transportHint());
    read(attr("db.system.name", "redis"));
    assertEquals(ProtocolHint.DATABASE, a.transportHint());
    read(attr("http.method", "GET"), attr("rpc.system", "connect_rpc"));
    assertEquals(ProtocolHint.OTHER_RPC, a.transportHint());
    read(attr("rpc.system.name", "GRPC"), attr("messaging.system", "nats"));
    assertEquals(ProtocolHint.MESSAGING, a.transportHint());
    read(attr("rpc.response.status_code", "NOT_FOUND"));
    assertEquals(ProtocolHint.GRPC, a.transportHint());
    assertEquals(5, a.grpcCode);
  }

  @Test
  void sizesBelowZeroAreUnknown() {
    read(attr("http.request_content_length", -5), attr("rpc.response.body.size", "12"));
    assertEquals(-1, a.requestBytes);
    assertEquals(12, a.responseBytes);
  }
}
