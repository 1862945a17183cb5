package dev.seam.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The report of a load run: the {@code RESULT} line (figures of the measured window, then {@code
 * total_*} figures including the warm-up) and a human summary.
 */
final class LoadReport {

  private LoadReport() {}

  /**
   * Prints the report.
   *
   * @param m what the senders did in the measured window
   * @param all what they did over the warm-up and the measured window
   * @param elapsed seconds from the start of the measured window to the last answer
   * @param cpuMeasured the generator's CPU time in the measured window, in nanoseconds
   * @param cpuTotal the generator's CPU time in all, in nanoseconds
   * @param err the first error a request met, or {@code null}
   */
  static void print(
      LoadOptions o,
      String description,
      PhaseCounters m,
      PhaseCounters all,
      double elapsed,
      long behindMaxNanos,
      long cpuMeasured,
      long cpuTotal,
      String err) {
    long[] lat = Arrays.copyOf(m.latencies, m.nLatencies);
    Arrays.sort(lat);
    double spansPerS = m.spansAccepted / elapsed;
    ResultLine line = new ResultLine();
    line.add("protocol", o.protocol);
    line.add("spans_per_request", Integer.toString(o.spansPerRequest));
    line.add("inflight", Integer.toString(o.inflight));
    line.add("rate_target", Long.toString(o.rate));
    line.add("sides", o.callerOnly ? "caller" : "all");
    line.add("warmup_s", fmt(o.warmup));
    line.add("spans_sent", Long.toString(m.spansSent));
    line.add("spans_accepted", Long.toString(m.spansAccepted));
    line.add("rejected_spans", Long.toString(m.rejectedSpans));
    line.add("requests", Long.toString(m.requests));
    line.add("failed_requests", Long.toString(m.failedRequests));
    line.add("logs_sent", Long.toString(m.logsSent));
    line.add("logs_accepted", Long.toString(m.logsAccepted));
    line.add("boundary_calls_sent", Long.toString(m.boundaryCalls));
    line.add("error_calls_sent", Long.toString(m.errorCalls));
    line.add("elapsed_s", fmt(elapsed));
    line.add("spans_per_s", String.format(Locale.ROOT, "%.0f", spansPerS));
    line.add("latency_p50_ms", ms(percentile(lat, 0.50)));
    line.add("latency_p99_ms", ms(percentile(lat, 0.99)));
    line.add("latency_max_ms", ms(lat.length == 0 ? 0 : lat[lat.length - 1]));
    line.add("behind_max_ms", ms(behindMaxNanos));
    line.add("generator_cpu_s", fmt(cpuMeasured / 1e9));
    line.add(
        "generator_cpu_per_mspans_s",
        fmt(m.spansAccepted == 0 ? 0 : cpuMeasured / 1e9 / (m.spansAccepted / 1e6)));
    line.add("total_spans_sent", Long.toString(all.spansSent));
    line.add("total_spans_accepted", Long.toString(all.spansAccepted));
    line.add("total_rejected_spans", Long.toString(all.rejectedSpans));
    line.add("total_requests", Long.toString(all.requests));
    line.add("total_failed_requests", Long.toString(all.failedRequests));
    line.add("total_logs_sent", Long.toString(all.logsSent));
    line.add("total_logs_accepted", Long.toString(all.logsAccepted));
    line.add("total_boundary_calls_sent", Long.toString(all.boundaryCalls));
    line.add("total_error_calls_sent", Long.toString(all.errorCalls));
    line.add("total_generator_cpu_s", fmt(cpuTotal / 1e9));
    line.add("first_error", err == null ? "" : err);
    System.out.println(line);
    System.out.printf(
        Locale.ROOT,
        "%s over %s: %,d spans accepted of %,d sent in %.1f s (%,.0f spans/s%s), %,d requests, %d"
            + " failed, %,d spans rejected; %,d boundary calls (%,d failing), %,d error logs;"
            + " export latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; generator CPU %.2f s%s%n",
        description,
        o.protocol,
        m.spansAccepted,
        m.spansSent,
        elapsed,
        spansPerS,
        o.rate > 0
            ? String.format(
                Locale.ROOT,
                " of %,d targeted, at most %.1f ms behind schedule",
                o.rate,
                behindMaxNanos / 1e6)
            : "",
        m.requests,
        m.failedRequests,
        m.rejectedSpans,
        m.boundaryCalls,
        m.errorCalls,
        m.logsAccepted,
        percentile(lat, 0.5) / 1e6,
        percentile(lat, 0.99) / 1e6,
        lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6,
        cpuMeasured / 1e9,
        err == null ? "" : "; first error: " + err);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
