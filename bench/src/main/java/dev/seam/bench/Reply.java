package dev.seam.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A collector's answer: accepted (with how many items it still rejected), or failed and why. */
record Reply(boolean ok, long rejected, String error) {

  /** An OK answer: reads partial_success from the ExportTrace/LogsServiceResponse body. */
  static Reply accepted(boolean logs, byte[] body) {
    if (body.length == 0) {
      return new Reply(true, 0, null);
    }
    try {
      if (logs) {
        ExportLogsServiceResponse r = ExportLogsServiceResponse.parseFrom(body);
        long n = r.getPartialSuccess().getRejectedLogRecords();
        return new Reply(
            true,
            n,
            n > 0
                ? "partial success, "
                    + n
                    + " log records rejected: "
                    + r.getPartialSuccess().getErrorMessage()
                : null);
      }
      ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(body);
      long n = r.getPartialSuccess().getRejectedSpans();
      return new Reply(
          true,
          n,
          n > 0
              ? "partial success, "
                  + n
                  + " spans rejected: "
                  + r.getPartialSuccess().getErrorMessage()
              : null);
    } catch (InvalidProtocolBufferException e) {
      // An OK answer whose body we cannot read still accepted the data.
      return new Reply(true, 0, null);
    }
  }

  /** What {@code f} answers within the timeout, or a failed reply saying why there is none. */
  static Reply await(Future<Reply> f, long timeoutNanos) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new Reply(false, 0, "no answer within the timeout");
    } catch (Exception e) {
      return new Reply(false, 0, "transport: " + e);
    }
  }
}
