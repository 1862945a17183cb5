package dev.seam.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/** Measures how long a new boundary takes to show on a metrics endpoint ({@code --probe-url}). */
final class Probe {

  private Probe() {}

  /**
   * Sends, {@code --probe-repeats} times, one HTTP call between two services of new names (the Go
   * caller's request, then the Rust callee's), and polls {@code --probe-url} every {@code
   * --probe-poll-ms} until a {@code --probe-metric} series names each of the two services. Reports,
   * per repeat, the milliseconds from sending the callee's request (the half that completes the
   * boundary) to the end of the first scrape that shows it. Repeats start 0.2 s plus a random part
   * of {@code --probe-spread} seconds apart.
   */
  static void run(LoadOptions o, Exporter exporter) throws Exception {
    if (o.probeMetric == null) {
      throw new IllegalArgumentException("--probe-url needs --probe-metric");
    }
    HttpClient scraper =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest scrape =
        HttpRequest.newBuilder(URI.create(o.probeUrl))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    Workload workload = new Workload(o.seed, 8);
    String run = Long.toString(o.seed & 0xffffffL, 36);
    long timeoutNanos = (long) (o.timeout * 1e9);
    double[] results = new double[o.probeRepeats];
    int failures = 0;
    for (int k = 0; k < o.probeRepeats; k++) {
      // A random phase, so that a collector that publishes on an interval is caught at every point
      // of it: give --probe-spread at least that interval.
      Thread.sleep(200 + (long) (ThreadLocalRandom.current().nextDouble() * o.probeSpread * 1000));
      String caller = "probe-" + run + "-" + k + "-caller";
      String callee = "probe-" + run + "-" + k + "-callee";
      List<byte[]> reqs = workload.probeTraceRequests(caller, callee);
      Reply first = Reply.await(exporter.send(false, reqs.get(0)), timeoutNanos);
      long t0 = System.nanoTime();
      Reply second = Reply.await(exporter.send(false, reqs.get(1)), timeoutNanos);
      double ackMs = (System.nanoTime() - t0) / 1e6;
      if (!first.ok() || !second.ok()) {
        System.out.println(
            "PROBE n=" + k + " error=\"" + (first.ok() ? second.error() : first.error()) + "\"");
        results[k] = -1;
        failures++;
        continue;
      }
      long deadline = t0 + (long) (o.probeTimeout * 1e9);
      long next = t0;
      double seen = -1;
      int scrapes = 0;
      while (System.nanoTime() < deadline) {
        HttpResponse<String> resp;
        try {
          resp = scraper.send(scrape, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          resp = null;
        }
        scrapes++;
        if (resp != null
            && resp.statusCode() == 200
            && shows(resp.body(), o.probeMetric, caller, callee)) {
          seen = (System.nanoTime() - t0) / 1e6;
          break;
        }
        next += o.probePollMs * 1_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else {
          next = System.nanoTime();
        }
      }
      results[k] = seen;
      if (seen < 0) {
        failures++;
      }
      System.out.printf(
          Locale.ROOT, "PROBE n=%d ms=%.1f ack_ms=%.1f scrapes=%d%n", k, seen, ackMs, scrapes);
    }
    double[] ok = Arrays.stream(results).filter(v -> v >= 0).sorted().toArray();
    StringBuilder all = new StringBuilder();
    for (double v : results) {
      all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
    }
    ResultLine line = new ResultLine();
    line.add("probe_metric", o.probeMetric);
    line.add("probe_repeats", Integer.toString(o.probeRepeats));
    line.add("probe_failures", Integer.toString(failures));
    line.add(
        "probe_ms_median", ok.length == 0 ? "-1" : String.format(Locale.ROOT, "%.1f", median(ok)));
    line.add("probe_ms_min", ok.length == 0 ? "-1" : String.format(Locale.ROOT, "%.1f", ok[0]));
    line.add(
        "probe_ms_max",
        ok.length == 0 ? "-1" : String.format(Locale.ROOT, "%.1f", ok[ok.length - 1]));
    line.add("probe_ms_all", all.toString());
    System.out.println(line);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * True when some series of {@code metric} names {@code a} and some (maybe the same) names {@code
   * b}.
   */
  static boolean shows(String exposition, String metric, String a, String b) {
    String qa = "=\"" + a + "\"";
    String qb = "=\"" + b + "\"";
    boolean seenA = false;
    boolean seenB = false;
    int from = 0;
    while (from < exposition.length()) {
      int eol = exposition.indexOf('\n', from);
      if (eol < 0) {
        eol = exposition.length();
      }
      if (exposition.startsWith(metric, from)
          && from + metric.length() < eol
          && exposition.charAt(from + metric.length()) == '{') {
        String line = exposition.substring(from, eol);
        seenA |= line.contains(qa);
        seenB |= line.contains(qb);
        if (seenA && seenB) {
          return true;
        }
      }
      from = eol + 1;
    }
    return false;
  }
}
