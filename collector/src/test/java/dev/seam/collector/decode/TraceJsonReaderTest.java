package dev.seam.collector.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OTLP/JSON span reader against the general path it replaces ({@link OtlpJson} into the
 * generated classes, then the protobuf reader): whatever one accepts the other reads to the same
 * spans and resources, and what one refuses the other refuses with the same message. Each case also
 * says whether the streaming reader read the body itself or handed it to the general path.
 */
class TraceJsonReaderTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final Set<String> INT64_FIELDS =
      Set.of(
          "startTimeUnixNano",
          "endTimeUnixNano",
          "timeUnixNano",
          "intValue",
          "start_time_unix_nano",
          "end_time_unix_nano",
          "time_unix_nano",
          "int_value");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String spansJson(String spans) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
  }

  /**
   * A request in OTLP JSON as an SDK could write it: hex ids, and at random snake_case names, enum
   * names, 64-bit integers as numbers rather than strings.
   */
  static byte[] otlpJson(ExportTraceServiceRequest req, Random r) throws IOException {
    JsonFormat.Printer printer = JsonFormat.printer();
    if (r.nextBoolean()) {
      printer = printer.preservingProtoFieldNames();
    }
    if (r.nextBoolean()) {
      printer = printer.printingEnumsAsInts();
    }
    JsonNode tree = MAPPER.readTree(printer.print(req));
    rewrite(tree, r.nextBoolean());
    return MAPPER.writeValueAsBytes(tree);
  }

  private static void rewrite(JsonNode node, boolean numbers) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          byte[] id = Base64.getDecoder().decode(e.getValue().asText());
          o.set(e.getKey(), TextNode.valueOf(HexFormat.of().formatHex(id)));
        } else if (numbers && INT64_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          BigInteger v = new BigInteger(e.getValue().asText());
          o.set(e.getKey(), MAPPER.getNodeFactory().numberNode(v));
        } else {
          rewrite(e.getValue(), numbers);
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(n -> rewrite(n, numbers));
    }
  }

  /** Whether the streaming reader reads the body itself rather than handing it on. */
  private static boolean readsItself(byte[] json) {
    TraceReader reader = new TraceReader(new StringTable(64));
    try {
      new TraceJsonReader(reader, new StringTable(64)).read(json);
      return true;
    } catch (TraceJsonReader.Unsure e) {
      return false;
    }
  }

  /** Asserts that both paths agree on the body; returns whether it was accepted. */
  private static boolean assertSameAsGeneralPath(TraceReader reader, byte[] json) {
    ExportTraceServiceRequest expected;
    try {
      expected = OtlpJson.traces(json);
    } catch (OtlpDecodeException refused) {
      OtlpDecodeException e =
          assertThrows(OtlpDecodeException.class, () -> reader.readJson(json), () -> show(json));
      assertEquals(refused.getMessage(), e.getMessage(), () -> show(json));
      return false;
    }
    try {
      TraceReaderTest.assertSameAs(expected, reader.readJson(json), json);
    } catch (OtlpDecodeException e) {
      fail("the general path accepts " + show(json) + " but readJson refused: " + e.getMessage());
    }
    return true;
  }

  private static String show(byte[] json) {
    String s = new String(json, StandardCharsets.UTF_8);
    return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
  }

  @Test
  void readsRandomRequestsItselfAndAsTheGeneralPathDoes() throws Exception {
    Random r = new Random(17);
    TraceReader reader = new TraceReader(new StringTable(64));
    for (int i = 0; i < 2_000; i++) {
      byte[] json = otlpJson(TraceReaderTest.randomRequest(r), r);
      assertTrue(readsItself(json), () -> show(json));
      assertTrue(assertSameAsGeneralPath(reader, json));
    }
  }

  @Test
  void mutantsAreAcceptedAndRefusedAsTheGeneralPathDoes() throws Exception {
    Random r = new Random(23);
    TraceReader reader = new TraceReader(new StringTable(64));
    byte[] alphabet = utf8("{}[],:\"0123456789-.eE aZ\\ntfu");
    int accepted = 0;
    int acceptedItself = 0;
    int refused = 0;
    for (int i = 0; i < 6_000; i++) {
      byte[] json = otlpJson(TraceReaderTest.randomRequest(r), r);
      for (int m = 0, n = 1 + r.nextInt(2); m < n; m++) {
        int at = r.nextInt(json.length);
        json[at] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
      }
      if (assertSameAsGeneralPath(reader, json)) {
        accepted++;
        if (readsItself(json)) {
          acceptedItself++;
        }
      } else {
        refused++;
      }
    }
    int a = accepted;
    int s = acceptedItself;
    int f = refused;
    assertTrue(
        a > 500 && s > 300 && f > 500,
        () -> a + " accepted (" + s + " by the streaming reader), " + f + " refused");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // lowerCamelCase and snake_case, enums by name and number, int64 as strings and numbers
        "{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\",\"parentSpanId\":\"\",\"name\":\"GET"
            + " /x\",\"kind\":\"SPAN_KIND_SERVER\","
            + "\"startTimeUnixNano\":\"1700000000123456789\",\"endTimeUnixNano\":1700000000987654321,"
            + "\"flags\":769,\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"boom\"}}",
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"b7ad6b7169203331\","
            + "\"parent_span_id\":\"00f067aa0ba902b7\",\"kind\":2,\"start_time_unix_nano\":5,"
            + "\"end_time_unix_nano\":\"18446744073709551615\",\"trace_state\":\"a=b\","
            + "\"status\":{\"code\":2},\"dropped_attributes_count\":3}",
        "{\"kind\":\"2\",\"flags\":\"768\",\"droppedEventsCount\":\"4\",\"kind_unused\":[1]}",
        "{\"kind\":9,\"status\":{\"code\":-1}}",
        // every AnyValue variant
        "{\"attributes\":[{\"key\":\"s\",\"value\":{\"stringValue\":\"h\\u00e9llo \\u2713"
            + " \\ud83d\\ude00\"}},{\"key\":\"b\",\"value\":{\"boolValue\":true}},"
            + "{\"key\":\"i\",\"value\":{\"intValue\":\"-9223372036854775808\"}},"
            + "{\"key\":\"j\",\"value\":{\"intValue\":9223372036854775807}},"
            + "{\"key\":\"d\",\"value\":{\"doubleValue\":1.5e3}},"
            + "{\"key\":\"n\",\"value\":{\"doubleValue\":\"NaN\"}},"
            + "{\"key\":\"inf\",\"value\":{\"doubleValue\":\"-Infinity\"}},"
            + "{\"key\":\"z\",\"value\":{\"doubleValue\":-0.0}},"
            + "{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AQID\"}},"
            + "{\"key\":\"b1\",\"value\":{\"bytesValue\":\"AQ==\"}},"
            + "{\"key\":\"arr\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},"
            + "{\"intValue\":\"7\"},{\"doubleValue\":\"NaN\"}]}}},"
            + "{\"key\":\"kv\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"in\","
            + "\"value\":{\"boolValue\":false}}]}}},"
            + "{\"key\":\"empty\",\"value\":{}},{\"value\":{\"stringValue\":\"\"}},{\"key\":\"none\"}]}",
        // ids that are not hex, or not strings, are one zero byte
        "{\"traceId\":\"not-hex\",\"spanId\":12,\"parentSpanId\":true}",
        "{\"traceId\":\"abc\",\"spanId\":\"\\uff10\\uff10\",\"parentSpanId\":\"0af7651916cd43dd\"}",
        // events and links, with their attributes
        "{\"events\":[{\"timeUnixNano\":\"17\",\"name\":\"exception\",\"attributes\":[{\"key\":"
            + "\"exception.type\",\"value\":{\"stringValue\":\"E\"}}],\"droppedAttributesCount\":1},"
            + "{}],\"links\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":"
            + "\"b7ad6b7169203331\",\"traceState\":\"x\",\"flags\":256,\"attributes\":[]}]}",
        // unknown fields at every level, including structured ones
        "{\"name\":\"n\",\"brandNew\":[[[\"deep\"]]],\"x\":{\"y\":null},"
            + "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\",\"future\":1},\"x\":2}],"
            + "\"status\":{\"code\":1,\"reason\":\"later\"}}"
      })
  void readsSpansItselfAsTheGeneralPathDoes(String span) {
    byte[] json = utf8(spansJson(span));
    assertTrue(readsItself(json), span);
    assertTrue(assertSameAsGeneralPath(new TraceReader(new StringTable(64)), json));
  }

  @Test
  void readsResourcesAndScopesItselfAsTheGeneralPathDoes() {
    String json =
        """
        {"future": {"a": [1, {"b": null}]},
         "resourceSpans": [
          {"scopeSpans": [
             {"spans": [{"name": "first"}], "scope": {"name": "late", "version": "1",
              "attributes": [{"key": "a", "value": {"intValue": 1}}]}},
             {"scope": {"name": "second"}, "spans": [{"name": "x"}], "schemaUrl": "u"}],
           "resource": {"attributes": [
             {"key": "service.name", "value": {"stringValue": "checkout"}},
             {"key": "big", "value": {"stringValue": "%s"}},
             {"key": "kv", "value": {"kvlistValue": {"values": [
               {"key": "inner", "value": {"arrayValue": {"values": [{"bytesValue": "AAEC"}]}}}]}}}],
            "droppedAttributesCount": 2, "entityRefs": [], "mystery": 1}},
          {"resource": {}},
          {"scopeSpans": [{"spans": []}]}
         ]}
        """
            .formatted("x".repeat(300));
    assertTrue(readsItself(utf8(json)));
    assertTrue(assertSameAsGeneralPath(new TraceReader(new StringTable(64)), utf8(json)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"name\":null}",
        "{\"name\":\"a\",\"name\":\"b\"}",
        "{\"spanId\":\"b7ad6b7169203331\",\"span_id\":\"00f067aa0ba902b7\"}",
        "{\"startTimeUnixNano\":\"1e3\"}",
        "{\"startTimeUnixNano\":1.0}",
        "{\"startTimeUnixNano\":\"+5\"}",
        "{\"startTimeUnixNano\":\"-0\"}",
        "{\"kind\":\"SPAN_KIND_FUTURE\"}",
        "{\"name\":5}",
        "{\"attributes\":[{\"key\":\"k\",\"value\":{\"boolValue\":\"true\"}}]}",
        "{\"attributes\":[{\"key\":\"k\",\"value\":{\"doubleValue\":\"1.5\"}}]}",
        "{\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"AQI\"}}]}",
        "{\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"_-8=\"}}]}",
        "{\"attributes\":null}"
      })
  void handsUnusualSpansToTheGeneralPath(String span) {
    byte[] json = utf8(spansJson(span));
    assertTrue(!readsItself(json), span);
    assertSameAsGeneralPath(new TraceReader(new StringTable(64)), json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "  ",
        "[]",
        "null",
        "{} {}",
        "{}x",
        "{\"a\":1}}",
        "{\"resourceSpans\": [ {\"scopeSpans\": x } ] }",
        "{\"resourceSpans\": [{\"scopeSpans\": [",
        "{\"resourceSpans\":\"x\"}",
        "{\"resourceSpans\":[5]}",
        "{\"resourceSpans\":[null]}",
        "{\"resourceSpans\":[{\"resource\":[]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":5}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":-1}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"flags\":\"0x300\"}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"flags\":4294967296}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":{}}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"events\":[{\"timeUnixNano\":1.5}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"links\":[{\"flags\":\"x\"}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"attributes\":[{\"key\":[]}]}}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\","
            + "\"value\":{\"intValue\":1,\"stringValue\":\"s\"}}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":"
            + "{\"intValue\":1e400}}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":"
            + "{\"bytesValue\":\"!!\"}}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":"
            + "{\"arrayValue\":{\"values\":[{\"doubleValue\":1e400}]}}}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"unknown\":\"\\x41\"}]}]}]}"
      })
  void refusesWithTheGeneralPathsMessage(String body) {
    byte[] json = utf8(body);
    assertThrows(OtlpDecodeException.class, () -> OtlpJson.traces(json));
    assertTrue(!assertSameAsGeneralPath(new TraceReader(new StringTable(64)), json));
  }

  @Test
  void refusesInvalidUtf8AndDeepNestingEvenInFieldsItSkips() {
    byte[] badUtf8 = {
      '{', '"', 'z', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', ',', '"', 'a', '"', ':', '1', '}'
    };
    assertTrue(!assertSameAsGeneralPath(new TraceReader(new StringTable(64)), badUtf8));
    byte[] deep = utf8("{\"x\":" + "[".repeat(64) + "]".repeat(64) + "}");
    assertTrue(!assertSameAsGeneralPath(new TraceReader(new StringTable(64)), deep));
    byte[] deepest = utf8("{\"x\":" + "[".repeat(63) + "]".repeat(63) + "}");
    assertTrue(assertSameAsGeneralPath(new TraceReader(new StringTable(64)), deepest));
  }

  @Test
  void goldenCaseTracesReadItselfAsTheGeneralPathDoes() throws IOException {
    TraceReader reader = new TraceReader(new StringTable(64));
    int read = 0;
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/golden"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        byte[] json = Files.readAllBytes(file);
        if (!new String(json, StandardCharsets.UTF_8).contains("\"resourceSpans\"")) {
          continue;
        }
        assertTrue(readsItself(json), file::toString);
        assertTrue(assertSameAsGeneralPath(reader, json), file::toString);
        read++;
      }
    }
    assertTrue(read >= 20, read + " golden trace inputs");
  }

  @Test
  void aReaderReusedAcrossBothFormatsKeepsNothingOfTheLastRequest() throws Exception {
    Random r = new Random(3);
    TraceReader reader = new TraceReader(new StringTable(64));
    for (int i = 0; i < 300; i++) {
      ExportTraceServiceRequest req = TraceReaderTest.randomRequest(r);
      if (r.nextBoolean()) {
        byte[] body = req.toByteArray();
        TraceReaderTest.assertSameAs(req, reader.read(body), body);
      } else {
        byte[] json = otlpJson(req, r);
        TraceReaderTest.assertSameAs(req, reader.readJson(json), json);
      }
    }
    assertEquals(0, reader.readJson(utf8("{}")).resourceCount());
  }
}
