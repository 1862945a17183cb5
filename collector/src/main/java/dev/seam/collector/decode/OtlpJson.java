package dev.seam.collector.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * Decodes OTLP/HTTP JSON request bodies ({@code POST /v1/traces}, {@code /v1/logs}, {@code
 * /v1/metrics}) into their protobuf export requests, and prints protobuf replies as OTLP JSON.
 * Decoding follows the OTLP JSON mapping, which differs from the canonical proto3 JSON mapping in
 * that trace and span ids are hex strings rather than base64.
 */
public final class OtlpJson {

  /**
   * Bodies nested deeper than this are refused. Real OTLP needs about 15 levels plus four per level
   * of AnyValue kvlist/array nesting, so 64 leaves room for any sane attribute value while keeping
   * JsonFormat's recursive descent (recursion limit 100) far from the thread stack limit.
   */
  static final int MAX_DEPTH = 64;

  /** Longest library message we pass on to the client; JsonFormat echoes whole JSON subtrees. */
  private static final int MAX_DETAIL_CHARS = 300;

  /**
   * Every OTLP field that is hex in JSON (Span, Span.Link, LogRecord, Exemplar). The snake_case
   * spellings are listed because JsonFormat accepts original proto names too, and missing them
   * would let a hex id slip through to the base64 decoder.
   */
  private static final Set<String> ID_KEYS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  /**
   * Base64 of a single zero byte: an id that is certain to have the wrong length, so the collector
   * rejects just that item (partial success) instead of the whole request failing or, worse, a
   * garbled id being accepted.
   */
  private static final String INVALID_ID = "AA==";

  private static final JsonFactory JSON =
      JsonFactory.builder()
          // Body size is bounded by the HTTP layer; Jackson's default 20M-char cap on a single
          // string would otherwise be a second, surprising limit on large log bodies.
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          // Unknown field names come from clients; don't let them grow the JVM string pool.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          // Keep client bytes out of error locations; we report line and column ourselves.
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  // OTLP JSON requires enums as integers; the default JsonFormat output uses names.
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  /** Decodes the UTF-8 JSON body of {@code POST /v1/traces}. */
  public static ExportTraceServiceRequest traces(byte[] utf8Json) throws OtlpDecodeException {
    return decode(utf8Json, ExportTraceServiceRequest.newBuilder()).build();
  }

  /** Decodes the UTF-8 JSON body of {@code POST /v1/logs}. */
  public static ExportLogsServiceRequest logs(byte[] utf8Json) throws OtlpDecodeException {
    return decode(utf8Json, ExportLogsServiceRequest.newBuilder()).build();
  }

  /** Decodes the UTF-8 JSON body of {@code POST /v1/metrics}. */
  public static ExportMetricsServiceRequest metrics(byte[] utf8Json) throws OtlpDecodeException {
    return decode(utf8Json, ExportMetricsServiceRequest.newBuilder()).build();
  }

  /**
   * Prints a reply message (export response, status) as compact OTLP JSON: lowerCamelCase keys,
   * enums as integers, 64-bit integers as decimal strings. Bytes fields come out as base64, so this
   * is not suitable for telemetry that carries trace or span ids.
   *
   * @throws IllegalArgumentException if {@code msg} contains an {@code Any} whose type is unknown
   */
  public static String print(MessageOrBuilder msg) {
    try {
      return PRINTER.print(msg);
    } catch (InvalidProtocolBufferException e) {
      // Only reachable through google.protobuf.Any, which the collector's replies never need.
      throw new IllegalArgumentException(
          "cannot print " + msg.getDescriptorForType().getFullName(), e);
    }
  }

  private static <B extends Message.Builder> B decode(byte[] utf8Json, B builder)
      throws OtlpDecodeException {
    Objects.requireNonNull(utf8Json, "utf8Json");
    String canonical = rewriteIds(utf8Json);
    try {
      PARSER.merge(canonical, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // Syntax was already checked, so anything JsonFormat objects to is a shape problem:
      // a string where an array belongs, an out-of-range integer, two members of one oneof...
      // JsonFormat is documented to throw only InvalidProtocolBufferException, but Gson accessors
      // underneath can leak IllegalStateException/NumberFormatException on odd values.
      throw new OtlpDecodeException(
          "invalid OTLP JSON: body does not match "
              + builder.getDescriptorForType().getName()
              + ": "
              + detail(e),
          e);
    }
    return builder;
  }

  /**
   * Streams the body through Jackson and returns it as canonical JSON text in which every id value
   * is base64 instead of hex, ready for JsonFormat. Streaming (rather than building a tree) keeps
   * the walk iterative, checks strict JSON syntax with line/column positions, and copies numbers as
   * their original text, so a 19-digit nanosecond timestamp never passes through a double.
   */
  private static String rewriteIds(byte[] utf8Json) throws OtlpDecodeException {
    StringWriter out = new StringWriter(utf8Json.length + 16);
    try (JsonParser in = JSON.createParser(utf8Json);
        JsonGenerator gen = JSON.createGenerator(out)) {
      JsonToken token = in.nextToken();
      if (token == null) {
        throw new OtlpDecodeException("invalid OTLP JSON: body is empty, expected a JSON object");
      }
      if (token != JsonToken.START_OBJECT) {
        throw syntax(in, "expected a JSON object at top level but found " + describe(token));
      }
      int depth = 0;
      boolean idValue = false;
      while (true) {
        boolean isIdValue = idValue;
        idValue = false;
        switch (token) {
          case START_OBJECT -> {
            depth = deeper(in, depth);
            gen.writeStartObject();
          }
          case START_ARRAY -> {
            depth = deeper(in, depth);
            gen.writeStartArray();
          }
          case END_OBJECT -> {
            depth--;
            gen.writeEndObject();
          }
          case END_ARRAY -> {
            depth--;
            gen.writeEndArray();
          }
          case FIELD_NAME -> {
            String name = in.currentName();
            idValue = ID_KEYS.contains(name);
            gen.writeFieldName(name);
          }
          case VALUE_STRING ->
              gen.writeString(isIdValue ? hexToBase64(in.getText()) : in.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
            if (isIdValue) {
              // JsonFormat would read a number as base64 text and could produce a plausible
              // 16-byte id out of digits; a non-string id is simply an invalid id.
              gen.writeString(INVALID_ID);
            } else if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
              gen.writeBoolean(token == JsonToken.VALUE_TRUE);
            } else {
              // Raw text: Jackson has validated the syntax, JsonFormat parses it exactly.
              gen.writeNumber(in.getText());
            }
          }
          case VALUE_NULL -> gen.writeNull();
          default ->
              // NOT_AVAILABLE / VALUE_EMBEDDED_OBJECT only occur with non-blocking or binary input.
              throw syntax(in, "unexpected " + token);
        }
        if (depth == 0) {
          break;
        }
        token = in.nextToken();
        if (token == null) {
          // Jackson normally reports this itself; kept so the loop can never spin on null.
          throw syntax(in, "unexpected end of input");
        }
      }
      JsonToken trailing = in.nextToken();
      if (trailing != null) {
        throw syntax(in, "found " + describe(trailing) + " after the top-level object");
      }
    } catch (JsonProcessingException e) {
      throw new OtlpDecodeException(jacksonMessage(e), e);
    } catch (IOException e) {
      // Both ends are in memory; an IOException here is a bug, not a client error.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static int deeper(JsonParser in, int depth) throws OtlpDecodeException {
    if (depth >= MAX_DEPTH) {
      throw syntax(in, "nesting deeper than " + MAX_DEPTH + " levels");
    }
    return depth + 1;
  }

  /**
   * OTLP ids are hex (either case); JsonFormat wants base64. Lengths are not checked here: the
   * collector validates id length per item, so one bad id costs one rejected item, not the request.
   */
  private static String hexToBase64(String hex) {
    if (hex.isEmpty()) {
      return hex; // "no id", e.g. a root span's parentSpanId or a log outside any span
    }
    byte[] bytes;
    try {
      bytes = HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      return INVALID_ID;
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static OtlpDecodeException syntax(JsonParser in, String problem) {
    return new OtlpDecodeException(at(in.currentTokenLocation()) + problem);
  }

  private static String jacksonMessage(JsonProcessingException e) {
    String original = e.getOriginalMessage();
    if (original == null) {
      original = "malformed JSON";
    }
    // Jackson appends "(start marker at [Source: REDACTED ...; line: 1, column: 1])" to some
    // messages; shorten it to the position, which is what a client can act on.
    original =
        original
            .replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1 column $2")
            .replaceAll("\\[Source: [^;\\]]*; line: (\\d+)\\]", "line $1");
    return at(e.getLocation()) + truncate(original);
  }

  private static String at(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return "invalid OTLP JSON: ";
    }
    return "invalid OTLP JSON at line " + loc.getLineNr() + " column " + loc.getColumnNr() + ": ";
  }

  private static String detail(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return truncate(m.strip());
  }

  private static String truncate(String s) {
    return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "...";
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> String.valueOf(t);
    };
  }
}
