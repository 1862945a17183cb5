package dev.seam.collector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorClassTest {

  @ParameterizedTest(name = "gRPC code {0} -> {1}")
  @CsvSource({
    "0, ok",
    "1, cancelled",
    "2, unknown",
    "3, invalid_argument",
    "4, deadline_exceeded",
    "5, not_found",
    "6, already_exists",
    "7, permission_denied",
    "8, resource_exhausted",
    "9, failed_precondition",
    "10, aborted",
    "11, out_of_range",
    "12, unimplemented",
    "13, internal",
    "14, unavailable",
    "15, data_loss",
    "16, unauthenticated",
  })
  void everyGrpcCodeNumberHasItsCanonicalName(int code, String name) {
    assertEquals(name, ErrorClass.ofGrpcCode(code));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 17, 100, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void grpcCodesOutsideTheRangeAreUnknown(int code) {
    assertEquals("unknown", ErrorClass.ofGrpcCode(code));
    assertEquals(ErrorClass.UNKNOWN, ErrorClass.ofGrpcCode(code));
  }

  @Test
  void everyCanonicalNameMapsBackToItsNumber() {
    for (int code = 0; code <= 16; code++) {
      String lower = ErrorClass.ofGrpcCode(code);
      assertEquals(code, ErrorClass.grpcCodeNumber(lower), lower);
      assertEquals(code, ErrorClass.grpcCodeNumber(lower.toUpperCase(Locale.ROOT)), lower);
      assertEquals(code, ErrorClass.grpcCodeNumber(Integer.toString(code)), lower);
    }
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    "NOT_FOUND, 5",
    "not_found, 5",
    "NotFound, 5",
    "notfound, 5",
    "CANCELED, 1",
    "Canceled, 1",
    "CANCELLED, 1",
    "cancelled, 1",
    "DEADLINE_EXCEEDED, 4",
    "DeadlineExceeded, 4",
    "UNAVAILABLE, 14",
    "Unavailable, 14",
    "OK, 0",
    "14, 14",
    "0, 0",
    "16, 16",
    "ResourceExhausted, 8",
    "' UNAVAILABLE ', 14",
  })
  void grpcCodeNamesInEverySpellingMapToTheirNumber(String text, int number) {
    assertEquals(number, ErrorClass.grpcCodeNumber(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "99", "-1", "1x", "NOT FOUND", "not-a-code", "timeout"})
  @NullAndEmptySource
  void textThatIsNotAGrpcCodeIsMinusOne(String text) {
    assertEquals(-1, ErrorClass.grpcCodeNumber(text));
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "400, invalid_argument",
    "401, unauthenticated",
    "403, permission_denied",
    "404, not_found",
    "408, deadline_exceeded",
    "409, aborted",
    "412, failed_precondition",
    "416, out_of_range",
    "429, resource_exhausted",
    "499, cancelled",
    "500, internal",
    "501, unimplemented",
    "502, unavailable",
    "503, unavailable",
    "504, deadline_exceeded",
    // other 5xx are internal
    "505, internal",
    "507, internal",
    "511, internal",
    "599, internal",
    // other 4xx, and anything that is not an error status, are unknown
    "402, unknown",
    "405, unknown",
    "418, unknown",
    "451, unknown",
    "200, unknown",
    "302, unknown",
    "600, unknown",
    "0, unknown",
  })
  void httpStatusesMapTheWayGoogleRpcDoes(int status, String errorClass) {
    assertEquals(errorClass, ErrorClass.ofHttpStatus(status));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
    // Go
    "context deadline exceeded, deadline_exceeded",
    "context.DeadlineExceeded, deadline_exceeded",
    "'Get \"http://pricing/quote\": context deadline exceeded (Client.Timeout exceeded while"
        + " awaiting headers)', deadline_exceeded",
    "context canceled, cancelled",
    "context.Canceled, cancelled",
    "'dial tcp 10.0.0.7:8080: connect: connection refused', unavailable",
    // Rust
    "Elapsed(()), deadline_exceeded",
    "tokio::time::error::Elapsed, deadline_exceeded",
    "operation timed out, deadline_exceeded",
    // codes written as text
    "503, unavailable",
    "504, deadline_exceeded",
    "500, internal",
    "UNAVAILABLE, unavailable",
    "DEADLINE_EXCEEDED, deadline_exceeded",
    "14, unavailable",
    // tonic::Status and grpc-go error strings carry their code
    "'status: NotFound, message: \"no such item\", details: [], metadata: MetadataMap { headers: {}"
        + " }', not_found",
    "'status: Unavailable, message: \"backend\"', unavailable",
    "'rpc error: code = PermissionDenied desc = nope', permission_denied",
    "'rpc error: code = ResourceExhausted desc = slow down', resource_exhausted",
  })
  void freeTextNamesAClass(String text, String errorClass) {
    assertEquals(errorClass, ErrorClass.ofText(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"*url.Error", "io.EOF", "something went wrong", "200", "418", "OK", "0"})
  @NullAndEmptySource
  void freeTextThatNamesNoClassIsNull(String text) {
    assertNull(ErrorClass.ofText(text));
  }
}
