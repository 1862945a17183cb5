package dev.seam.bench;

import java.util.Arrays;

/**
 * What happened to the requests one sender made in one phase (warm-up or measured window); written
 * by that sender's thread only and read once it has been joined.
 */
final class PhaseCounters {

  long spansSent;
  long spansAccepted;
  long rejectedSpans;
  long requests;
  long failedRequests;
  long logsSent;
  long logsAccepted;
  long rejectedLogs;
  long boundaryCalls;
  long errorCalls;
  long[] latencies = new long[1024];
  int nLatencies;

  void latency(long nanos) {
    if (nLatencies == latencies.length) {
      latencies = Arrays.copyOf(latencies, nLatencies * 2);
    }
    latencies[nLatencies++] = nanos;
  }

  void add(PhaseCounters o) {
    spansSent += o.spansSent;
    spansAccepted += o.spansAccepted;
    rejectedSpans += o.rejectedSpans;
    requests += o.requests;
    failedRequests += o.failedRequests;
    logsSent += o.logsSent;
    logsAccepted += o.logsAccepted;
    rejectedLogs += o.rejectedLogs;
    boundaryCalls += o.boundaryCalls;
    errorCalls += o.errorCalls;
    for (int i = 0; i < o.nLatencies; i++) {
      latency(o.latencies[i]);
    }
  }
}
