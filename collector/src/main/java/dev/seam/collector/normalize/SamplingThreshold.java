package dev.seam.collector.normalize;

/**
 * Reads the OpenTelemetry sampling threshold a span's tracestate carries ({@code ot=th:<1-14 hex
 * digits>}, a rejection threshold out of 2^56) as the number of spans a sampled one stands for.
 */
final class SamplingThreshold {

  private SamplingThreshold() {}

  /** 1 / (1 - th / 2^56) for a well-formed threshold; anything else, or nothing, means 1. */
  static double adjustedCount(String traceState) {
    if (traceState == null || traceState.isEmpty()) {
      return 1.0;
    }
    int ot = -1;
    for (int at = traceState.indexOf("ot="); at >= 0; at = traceState.indexOf("ot=", at + 1)) {
      if (at == 0 || traceState.charAt(at - 1) == ',' || traceState.charAt(at - 1) == ' ') {
        ot = at + 3;
        break;
      }
    }
    if (ot < 0) {
      return 1.0;
    }
    int end = traceState.indexOf(',', ot);
    String value = traceState.substring(ot, end < 0 ? traceState.length() : end);
    for (String part : value.split(";")) {
      if (part.startsWith("th:")) {
        String hex = part.substring(3);
        if (hex.isEmpty()
            || hex.length() > 14
            || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          return 1.0;
        }
        long threshold = Long.parseUnsignedLong((hex + "00000000000000").substring(0, 14), 16);
        double keep = ((double) ((1L << 56) - threshold)) / (double) (1L << 56);
        return keep > 0 ? 1.0 / keep : 1.0;
      }
    }
    return 1.0;
  }
}
