package dev.seam.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Writes a trace export request in the OTLP/JSON encoding. */
final class OtlpJsonWriter {
  private static final HexFormat HEX = HexFormat.of();
  private final StringBuilder sb = new StringBuilder(4096);

  private OtlpJsonWriter() {}

  static String write(ExportTraceServiceRequest req) {
    OtlpJsonWriter w = new OtlpJsonWriter();
    w.sb.append("{\"resourceSpans\":[");
    for (int i = 0; i < req.getResourceSpansCount(); i++) {
      if (i > 0) {
        w.sb.append(',');
      }
      w.resourceSpans(req.getResourceSpans(i));
    }
    w.sb.append("]}");
    return w.sb.toString();
  }

  private void resourceSpans(ResourceSpans rs) {
    sb.append('{');
    if (rs.hasResource()) {
      sb.append("\"resource\":{\"attributes\":");
      attributes(rs.getResource().getAttributesList());
      if (rs.getResource().getDroppedAttributesCount() > 0) {
        sb.append(",\"droppedAttributesCount\":")
            .append(rs.getResource().getDroppedAttributesCount());
      }
      sb.append("},");
    }
    sb.append("\"scopeSpans\":[");
    for (int i = 0; i < rs.getScopeSpansCount(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      scopeSpans(rs.getScopeSpans(i));
    }
    sb.append(']');
    if (!rs.getSchemaUrl().isEmpty()) {
      sb.append(",\"schemaUrl\":");
      string(rs.getSchemaUrl());
    }
    sb.append('}');
  }

  private void scopeSpans(ScopeSpans ss) {
    sb.append('{');
    if (ss.hasScope()) {
      sb.append("\"scope\":{\"name\":");
      string(ss.getScope().getName());
      if (!ss.getScope().getVersion().isEmpty()) {
        sb.append(",\"version\":");
        string(ss.getScope().getVersion());
      }
      if (ss.getScope().getAttributesCount() > 0) {
        sb.append(",\"attributes\":");
        attributes(ss.getScope().getAttributesList());
      }
      sb.append("},");
    }
    sb.append("\"spans\":[");
    for (int i = 0; i < ss.getSpansCount(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      span(ss.getSpans(i));
    }
    sb.append(']');
    if (!ss.getSchemaUrl().isEmpty()) {
      sb.append(",\"schemaUrl\":");
      string(ss.getSchemaUrl());
    }
    sb.append('}');
  }

  private void span(Span s) {
    sb.append("{\"traceId\":\"")
        .append(HEX.formatHex(s.getTraceId().toByteArray()))
        .append("\",\"spanId\":\"")
        .append(HEX.formatHex(s.getSpanId().toByteArray()))
        .append('"');
    if (!s.getTraceState().isEmpty()) {
      sb.append(",\"traceState\":");
      string(s.getTraceState());
    }
    if (!s.getParentSpanId().isEmpty()) {
      sb.append(",\"parentSpanId\":\"")
          .append(HEX.formatHex(s.getParentSpanId().toByteArray()))
          .append('"');
    }
    if (s.getFlags() != 0) {
      sb.append(",\"flags\":").append(Integer.toUnsignedString(s.getFlags()));
    }
    sb.append(",\"name\":");
    string(s.getName());
    sb.append(",\"kind\":").append(s.getKindValue());
    sb.append(",\"startTimeUnixNano\":\"")
        .append(Long.toUnsignedString(s.getStartTimeUnixNano()))
        .append("\",\"endTimeUnixNano\":\"")
        .append(Long.toUnsignedString(s.getEndTimeUnixNano()))
        .append('"');
    if (s.getAttributesCount() > 0) {
      sb.append(",\"attributes\":");
      attributes(s.getAttributesList());
    }
    if (s.getDroppedAttributesCount() > 0) {
      sb.append(",\"droppedAttributesCount\":").append(s.getDroppedAttributesCount());
    }
    if (s.getEventsCount() > 0) {
      sb.append(",\"events\":[");
      for (int i = 0; i < s.getEventsCount(); i++) {
        Span.Event e = s.getEvents(i);
        if (i > 0) {
          sb.append(',');
        }
        sb.append("{\"timeUnixNano\":\"")
            .append(Long.toUnsignedString(e.getTimeUnixNano()))
            .append("\",\"name\":");
        string(e.getName());
        if (e.getAttributesCount() > 0) {
          sb.append(",\"attributes\":");
          attributes(e.getAttributesList());
        }
        sb.append('}');
      }
      sb.append(']');
    }
    if (s.getLinksCount() > 0) {
      sb.append(",\"links\":[");
      for (int i = 0; i < s.getLinksCount(); i++) {
        Span.Link l = s.getLinks(i);
        if (i > 0) {
          sb.append(',');
        }
        sb.append("{\"traceId\":\"")
            .append(HEX.formatHex(l.getTraceId().toByteArray()))
            .append("\",\"spanId\":\"")
            .append(HEX.formatHex(l.getSpanId().toByteArray()))
            .append('"');
        if (!l.getTraceState().isEmpty()) {
          sb.append(",\"traceState\":");
          string(l.getTraceState());
        }
        if (l.getAttributesCount() > 0) {
          sb.append(",\"attributes\":");
          attributes(l.getAttributesList());
        }
        if (l.getFlags() != 0) {
          sb.append(",\"flags\":").append(Integer.toUnsignedString(l.getFlags()));
        }
        sb.append('}');
      }
      sb.append(']');
    }
    if (s.hasStatus()
        && (s.getStatus().getCodeValue() != 0 || !s.getStatus().getMessage().isEmpty())) {
      sb.append(",\"status\":{");
      boolean comma = false;
      if (!s.getStatus().getMessage().isEmpty()) {
        sb.append("\"message\":");
        string(s.getStatus().getMessage());
        comma = true;
      }
      if (s.getStatus().getCodeValue() != 0) {
        if (comma) {
          sb.append(',');
        }
        sb.append("\"code\":").append(s.getStatus().getCodeValue());
      }
      sb.append('}');
    }
    sb.append('}');
  }

  private void attributes(List<KeyValue> kvs) {
    sb.append('[');
    for (int i = 0; i < kvs.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"key\":");
      string(kvs.get(i).getKey());
      sb.append(",\"value\":");
      value(kvs.get(i).getValue());
      sb.append('}');
    }
    sb.append(']');
  }

  private void value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        sb.append("{\"stringValue\":");
        string(v.getStringValue());
        sb.append('}');
        break;
      case BOOL_VALUE:
        sb.append("{\"boolValue\":").append(v.getBoolValue()).append('}');
        break;
      case INT_VALUE:
        sb.append("{\"intValue\":\"").append(v.getIntValue()).append("\"}");
        break;
      case DOUBLE_VALUE:
        double d = v.getDoubleValue();
        sb.append("{\"doubleValue\":");
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          sb.append('"')
              .append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity")
              .append('"');
        } else {
          sb.append(d);
        }
        sb.append('}');
        break;
      case BYTES_VALUE:
        sb.append("{\"bytesValue\":\"")
            .append(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()))
            .append("\"}");
        break;
      case ARRAY_VALUE:
        sb.append("{\"arrayValue\":{\"values\":[");
        for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          value(v.getArrayValue().getValues(i));
        }
        sb.append("]}}");
        break;
      case KVLIST_VALUE:
        sb.append("{\"kvlistValue\":{\"values\":");
        attributes(v.getKvlistValue().getValuesList());
        sb.append("}}");
        break;
      default:
        sb.append("{}");
        break;
    }
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
