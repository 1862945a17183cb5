package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Code;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The reasons a request is refused, as labels and as the answers of both receivers. */
class RefusalTest {

  @Test
  void labelsAreTheDocumentedReasons() throws Exception {
    List<String> labels = new ArrayList<>();
    for (Refusal r : Refusal.values()) {
      labels.add(r.label());
    }
    assertEquals(
        List.of(
            "malformed",
            "too_large",
            "unsupported_media_type",
            "unsupported_encoding",
            "method_not_allowed",
            "not_found",
            "internal_error",
            "timeout",
            "unauthenticated",
            "overloaded",
            "unavailable"),
        labels);
    String row =
        Files.readAllLines(Path.of("..", "docs", "metrics.md")).stream()
            .filter(l -> l.startsWith("| `seam_refused_requests_total`"))
            .findFirst()
            .orElseThrow();
    for (String label : labels) {
      assertTrue(row.contains("`" + label + "`"), label + " is documented in docs/metrics.md");
    }
    assertEquals("unknown", Refusal.UNKNOWN_SIGNAL);
  }

  @Test
  void eachReasonHasItsHttpAndGrpcAnswer() {
    assertAnswers(Refusal.MALFORMED, 400, Code.INVALID_ARGUMENT, GrpcStatus.INVALID_ARGUMENT);
    assertAnswers(Refusal.TOO_LARGE, 413, Code.RESOURCE_EXHAUSTED, GrpcStatus.RESOURCE_EXHAUSTED);
    assertAnswers(
        Refusal.UNSUPPORTED_MEDIA_TYPE, 415, Code.INVALID_ARGUMENT, GrpcStatus.INVALID_ARGUMENT);
    assertAnswers(
        Refusal.UNSUPPORTED_ENCODING, 415, Code.INVALID_ARGUMENT, GrpcStatus.UNIMPLEMENTED);
    assertAnswers(Refusal.METHOD_NOT_ALLOWED, 405, Code.UNIMPLEMENTED, GrpcStatus.UNIMPLEMENTED);
    assertAnswers(Refusal.NOT_FOUND, 404, Code.NOT_FOUND, GrpcStatus.UNIMPLEMENTED);
    assertAnswers(Refusal.INTERNAL_ERROR, 500, Code.INTERNAL, GrpcStatus.INTERNAL);
    assertAnswers(Refusal.TIMEOUT, 408, Code.DEADLINE_EXCEEDED, GrpcStatus.DEADLINE_EXCEEDED);
    assertAnswers(Refusal.UNAUTHENTICATED, 401, Code.UNAUTHENTICATED, GrpcStatus.UNAUTHENTICATED);
    assertAnswers(Refusal.OVERLOADED, 503, Code.UNAVAILABLE, GrpcStatus.UNAVAILABLE);
    assertAnswers(Refusal.UNAVAILABLE, 503, Code.UNAVAILABLE, GrpcStatus.UNAVAILABLE);
    assertTrue(Refusal.OVERLOADED.retryable() && Refusal.UNAVAILABLE.retryable());
    assertTrue(!Refusal.MALFORMED.retryable() && !Refusal.INTERNAL_ERROR.retryable());
  }

  private static void assertAnswers(Refusal r, int http, Code code, GrpcStatus grpc) {
    assertEquals(http, r.httpStatus(), r.label());
    assertEquals(code, r.code(), r.label());
    assertEquals(grpc, r.grpcStatus(), r.label());
  }

  @Test
  void aFailedExportIsRefusedByItsCause() {
    OtlpDecodeException malformed =
        new OtlpDecodeException("invalid OTLP protobuf ExportTraceServiceRequest: truncated");
    BodyTooLargeException tooLarge = new BodyTooLargeException(1024);
    IllegalStateException bug = new IllegalStateException("a bug");
    assertEquals(Refusal.MALFORMED, Refusal.ofFailure(malformed));
    assertEquals(Refusal.TOO_LARGE, Refusal.ofFailure(tooLarge));
    assertEquals(Refusal.INTERNAL_ERROR, Refusal.ofFailure(bug));
    assertEquals(
        "invalid OTLP protobuf ExportTraceServiceRequest: truncated", Refusal.describe(malformed));
    assertEquals(
        "body exceeds the limit of 1024 bytes after decompression", Refusal.describe(tooLarge));
    assertEquals("internal error: java.lang.IllegalStateException: a bug", Refusal.describe(bug));
    // A handler answering later fails through a completion stage, which may wrap the cause.
    ExportUnavailableException down =
        new ExportUnavailableException("Kafka did not take the export", null);
    assertEquals(Refusal.UNAVAILABLE, Refusal.ofFailure(new CompletionException(down)));
    assertEquals("Kafka did not take the export", Refusal.describe(new CompletionException(down)));
    assertEquals(Refusal.MALFORMED, Refusal.ofFailure(new CompletionException(malformed)));
  }

  @Test
  void anOverloadedAnswerSaysWhyAndWhenToRetry() {
    assertEquals(
        "Seam is overloaded (the heap is more than 90% full after collection); retry after 1 s",
        Refusal.overloadedMessage("the heap is more than 90% full after collection", 1));
    assertEquals("Seam is overloaded (busy); retry after 5 s", Refusal.overloadedMessage(null, 5));
  }
}
