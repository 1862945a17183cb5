package dev.seam.collector.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The single error vocabulary shared by Go, Rust, HTTP and gRPC: the lowercase gRPC canonical code
 * names, with HTTP statuses mapped the way google.rpc maps them.
 */
public final class ErrorClass {

  /** Used when nothing on the span says more than "it failed". */
  public static final String UNKNOWN = "unknown";

  private static final String[] GRPC_NAMES = {
    "ok",
    "cancelled",
    "unknown",
    "invalid_argument",
    "deadline_exceeded",
    "not_found",
    "already_exists",
    "permission_denied",
    "resource_exhausted",
    "failed_precondition",
    "aborted",
    "out_of_range",
    "unimplemented",
    "internal",
    "unavailable",
    "data_loss",
    "unauthenticated",
  };

  private ErrorClass() {}

  /** The class of a gRPC status code number; codes outside 0-16 are {@code unknown}. */
  public static String ofGrpcCode(int code) {
    return code >= 0 && code < GRPC_NAMES.length ? GRPC_NAMES[code] : UNKNOWN;
  }

  /**
   * The gRPC code number for a code written as a name ({@code NOT_FOUND}, {@code not_found}, {@code
   * NotFound}, {@code CANCELED}) or as a decimal string; -1 when it is neither.
   */
  public static int grpcCodeNumber(String text) {
    if (text == null || text.isEmpty()) {
      return -1;
    }
    char first = text.charAt(0);
    if (first >= '0' && first <= '9') {
      try {
        int n = Integer.parseInt(text.trim());
        return n >= 0 && n < GRPC_NAMES.length ? n : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    // An SDK's own spelling (OK, UNAVAILABLE, Unavailable) is found as it is, without allocating;
    // any other is looked up in its normal form: trimmed, without '_', lower case.
    Integer code = GRPC_CODE_BY_NAME.get(text);
    if (code == null) {
      code = GRPC_CODE_BY_NAME.get(text.trim().replace("_", "").toLowerCase(Locale.ROOT));
    }
    return code != null ? code : -1;
  }

  /**
   * Each code under the SDKs' spellings (not_found, NOT_FOUND, NotFound) and its normal form
   * (notfound).
   */
  private static final Map<String, Integer> GRPC_CODE_BY_NAME = grpcCodesByName();

  private static Map<String, Integer> grpcCodesByName() {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < GRPC_NAMES.length; i++) {
      String lower = GRPC_NAMES[i];
      m.put(lower, i);
      m.put(lower.toUpperCase(Locale.ROOT), i);
      m.put(lower.replace("_", ""), i);
      StringBuilder camel = new StringBuilder();
      for (String part : lower.split("_")) {
        camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
      m.put(camel.toString(), i);
    }
    m.put("canceled", 1); // the American spelling, as Go's context package writes it
    return Map.copyOf(m);
  }

  /**
   * The class of an HTTP status, as google.rpc maps codes to statuses (read backwards). Other 5xx
   * are {@code internal}; other 4xx and anything below 400 are {@code unknown}.
   */
  public static String ofHttpStatus(int status) {
    switch (status) {
      case 400:
        return "invalid_argument";
      case 401:
        return "unauthenticated";
      case 403:
        return "permission_denied";
      case 404:
        return "not_found";
      case 408:
        return "deadline_exceeded";
      case 409:
        return "aborted";
      case 412:
        return "failed_precondition";
      case 416:
        return "out_of_range";
      case 429:
        return "resource_exhausted";
      case 499:
        return "cancelled";
      case 501:
        return "unimplemented";
      case 502:
      case 503:
        return "unavailable";
      case 504:
        return "deadline_exceeded";
      default:
        return status >= 500 && status < 600 ? "internal" : UNKNOWN;
    }
  }

  /**
   * The class a free-text error (an {@code error.type}, an exception type or message, a status
   * description) points at, or {@code null} when the text does not name one. Timeouts in both
   * ecosystems ({@code context.DeadlineExceeded}, {@code context deadline exceeded}, {@code
   * Client.Timeout exceeded}, tokio's {@code Elapsed}, reqwest's "operation timed out") are {@code
   * deadline_exceeded}; cancellations are {@code cancelled}.
   */
  public static String ofText(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    int code = grpcCodeNumber(text);
    if (code > 0) {
      return GRPC_NAMES[code];
    }
    if (text.length() == 3 && Character.isDigit(text.charAt(0))) {
      try {
        String c = ofHttpStatus(Integer.parseInt(text));
        return UNKNOWN.equals(c) ? null : c;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    String t = text.toLowerCase(Locale.ROOT);
    // tonic::Status and grpc-go errors print their code: "status: Unavailable, message: ...",
    // "rpc error: code = NotFound desc = ...".
    String named = codeAfter(t, "status: ");
    if (named == null) {
      named = codeAfter(t, "code = ");
    }
    if (named != null) {
      int n = grpcCodeNumber(named);
      if (n > 0) {
        return GRPC_NAMES[n];
      }
    }
    if (t.contains("deadline")
        || t.contains("timeout")
        || t.contains("timed out")
        || t.contains("elapsed")) {
      return "deadline_exceeded";
    }
    if (t.contains("cancel")) {
      return "cancelled";
    }
    if (t.contains("connection refused")
        || t.contains("unavailable")
        || t.contains("connection reset")) {
      return "unavailable";
    }
    return null;
  }

  /** The word following {@code marker} in {@code text}, or {@code null}. */
  private static String codeAfter(String text, String marker) {
    int at = text.indexOf(marker);
    if (at < 0) {
      return null;
    }
    int start = at + marker.length();
    int end = start;
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    return end > start ? text.substring(start, end) : null;
  }
}
