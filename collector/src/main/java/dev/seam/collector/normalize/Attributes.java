package dev.seam.collector.normalize;

import dev.seam.collector.decode.RawSpan;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/** Typed reads of OTLP attribute values, tolerant of the int-as-string habits of some SDKs. */
final class Attributes {

  static final long ABSENT = RawSpan.ABSENT;

  private Attributes() {}

  /** The string form of a scalar value, or {@code null} for empty and structured values. */
  static String string(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE:
        return Double.toString(v.getDoubleValue());
      default:
        return null;
    }
  }

  /** The integer a value holds (int, whole double, or decimal string), or {@link #ABSENT}. */
  static long integer(AnyValue v) {
    switch (v.getValueCase()) {
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        double d = v.getDoubleValue();
        return Double.isFinite(d) ? (long) d : ABSENT;
      case STRING_VALUE:
        return RawSpan.decimal(v.getStringValue());
      default:
        return ABSENT;
    }
  }

  /** The string value of the first attribute named {@code key}, or {@code null}. */
  static String find(List<KeyValue> attrs, String key) {
    for (int i = 0, n = attrs.size(); i < n; i++) {
      KeyValue kv = attrs.get(i);
      if (kv.getKey().equals(key)) {
        return string(kv.getValue());
      }
    }
    return null;
  }
}
