package dev.seam.collector.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key and value of one Kafka record, compared by content.
 *
 * @param key the record key, or {@code null} for a record without one
 * @param value the record value: one encoded OTLP export request
 */
public record KeyedRecord(byte[] key, byte[] value) {

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyedRecord r && Arrays.equals(key, r.key) && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    String k = key == null ? "null" : "'" + new String(key, StandardCharsets.US_ASCII) + "'";
    String v = value.length <= 32 ? HexFormat.of().formatHex(value) : value.length + " bytes";
    return "KeyedRecord[key=" + k + ", value=" + v + "]";
  }
}
