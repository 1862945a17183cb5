package dev.seam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.RawSpan;
import dev.seam.collector.decode.StringTable;
import dev.seam.collector.decode.TraceReader;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The workload's requests in OTLP/JSON ({@link Workload#toJson}, what the JSON decode benchmark
 * reads) read to the same raw spans and resources as their protobuf form.
 */
class WorkloadJsonReadTest {

  @Test
  void jsonRequestsReadAsTheirProtobufForm() throws Exception {
    Workload w = new Workload(42, 256);
    TraceReader protobuf = new TraceReader(new StringTable(4096));
    TraceReader json = new TraceReader(new StringTable(4096));
    int spans = 0;
    for (int g = 0; g < 16; g++) {
      for (byte[] request : w.nextTraceRequests()) {
        String want = dump(protobuf.read(request));
        assertEquals(want, dump(json.readJson(Workload.toJson(request))));
        spans += protobuf.endSpan(protobuf.resourceCount() - 1);
      }
    }
    assertTrue(spans >= 16 * 512, spans + " spans");
  }

  private static String dump(TraceReader r) throws OtlpDecodeException, IOException {
    StringBuilder b = new StringBuilder();
    for (int res = 0; res < r.resourceCount(); res++) {
      byte[] resource =
          Arrays.copyOfRange(
              r.resourceBytes(res),
              r.resourceOffset(res),
              r.resourceOffset(res) + r.resourceLength(res));
      b.append("resource ").append(Resource.parseFrom(resource)).append('\n');
      b.append("scope ").append(r.firstScopeName(res)).append('\n');
      for (int i = r.firstSpan(res); i < r.endSpan(res); i++) {
        RawSpan s = r.span(i);
        b.append(
            String.join(
                " ",
                "span",
                s.traceIdLength() + ":" + s.traceIdHigh() + ":" + s.traceIdLow(),
                s.spanIdLength() + ":" + s.spanId(),
                s.parentSpanIdLength() + ":" + s.parentSpanId(),
                s.name(),
                Integer.toString(s.kind()),
                Integer.toString(s.flags()),
                s.startNanos() + ".." + s.endNanos(),
                s.traceState(),
                s.statusCode() + ":" + s.statusMessage()));
        b.append('\n');
        for (int a = 0; a < s.attributeCount(); a++) {
          b.append("  ")
              .append(s.key(a))
              .append(' ')
              .append(s.valueType(a))
              .append(' ')
              .append(s.stringValue(a))
              .append(' ')
              .append(s.integerValue(a))
              .append('\n');
        }
        for (int e = 0; e < s.eventCount(); e++) {
          b.append("  event ").append(s.event(e)).append('\n');
        }
      }
    }
    return b.toString();
  }
}
