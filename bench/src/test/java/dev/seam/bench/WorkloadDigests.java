package dev.seam.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 digests of everything a {@link Workload} makes, per kind of output, over fixed seeds and
 * group sizes: trace requests, caller-only requests, log requests, probe requests, their OTLP/JSON
 * form and the group's shape (counts and description).
 *
 * <p>Uses only the public API, so that it also runs against a build without the clock-taking
 * constructor: {@link #main} prints the digests of workloads made with the public constructor, for
 * running under a frozen wall clock ({@code FAKETIME='2024-01-01 00:00:00'
 * FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC faketime ...}).
 */
final class WorkloadDigests {

  /** Makes the workload under test. */
  interface Factory {
    Workload make(long seed, int spansPerRequest);
  }

  static final long[] SEEDS = {0L, 42L, -3L, Long.MIN_VALUE};
  static final int[] SPANS_PER_REQUEST = {8, 9, 50, 256};

  /** Two rounds of the eight variants and one more, so both request orders meet every variant. */
  static final int GROUPS = 17;

  private WorkloadDigests() {}

  /** Digests by kind of output, hex encoded, in a fixed order. */
  static Map<String, String> compute(Factory factory) {
    Sink traces = new Sink();
    Sink logs = new Sink();
    Sink callerOnly = new Sink();
    Sink probe = new Sink();
    Sink json = new Sink();
    Sink shape = new Sink();
    for (long seed : SEEDS) {
      for (int spans : SPANS_PER_REQUEST) {
        Workload w = factory.make(seed, spans);
        shape.ints(w.lastRequestSpans());
        logs.bytes(w.nextLogRequest()); // no group yet: null
        for (int g = 0; g < GROUPS; g++) {
          List<byte[]> requests = w.nextTraceRequests();
          traces.i(requests.size());
          for (byte[] r : requests) {
            traces.bytes(r);
            traces.i(w.spansIn(r));
            if (g < 9) {
              json.bytes(Workload.toJson(r));
            }
          }
          traces.ints(w.lastRequestSpans());
          byte[] log = w.nextLogRequest();
          logs.bytes(log);
          logs.i(log == null ? -1 : w.logRecordsIn(log));
          if (g % 5 == 2) {
            // Probes draw from the same id stream as the groups.
            for (byte[] p : w.probeTraceRequests("caller-" + g, "callee-" + g)) {
              probe.bytes(p);
              probe.i(w.spansIn(p));
              json.bytes(Workload.toJson(p));
            }
          }
        }

        Workload c = factory.make(seed, spans);
        for (int g = 0; g < GROUPS; g++) {
          byte[] r = c.nextCallerOnlyRequest();
          callerOnly.bytes(r);
          callerOnly.i(c.spansIn(r));
          callerOnly.ints(c.lastRequestSpans());
          // The logs of the group the caller-only request came from.
          byte[] log = c.nextLogRequest();
          callerOnly.bytes(log);
          if (g % 4 == 1) {
            List<byte[]> full = c.nextTraceRequests();
            for (byte[] f : full) {
              callerOnly.bytes(f);
            }
            callerOnly.ints(c.lastRequestSpans());
          }
        }

        Workload p = factory.make(seed, spans);
        for (int k = 0; k < 3; k++) {
          for (byte[] r :
              p.probeTraceRequests("probe-" + k + "-caller", "probe-" + k + "-callee")) {
            probe.bytes(r);
          }
        }

        shape.s(w.describe());
        shape.i(w.spansPerRequest());
        shape.i(w.traceRequestsPerGroup());
        shape.i(w.tracesPerGroup());
        shape.i(w.spansPerGroup());
        shape.i(w.callerOnlySpansPerGroup());
        shape.i(w.boundaryCallsPerGroup());
        shape.i(w.errorCallsPerGroup());
        shape.i(w.logRecordsPerGroup());
        shape.ints(w.callsPerTransport());
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("traces", traces.hex());
    out.put("logs", logs.hex());
    out.put("callerOnly", callerOnly.hex());
    out.put("probe", probe.hex());
    out.put("json", json.hex());
    out.put("shape", shape.hex());
    return out;
  }

  /** Prints the digests of workloads made with the public constructor (the system clock). */
  public static void main(String[] args) {
    compute(Workload::new).forEach((k, v) -> System.out.println(k + " " + v));
  }

  /** A digest fed with length-prefixed values, so that no two sequences feed the same bytes. */
  private static final class Sink {
    private final MessageDigest md;

    Sink() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    void i(int v) {
      md.update(ByteBuffer.allocate(4).putInt(v).array());
    }

    void bytes(byte[] b) {
      if (b == null) {
        i(-1);
        return;
      }
      i(b.length);
      md.update(b);
    }

    void ints(int[] a) {
      i(a.length);
      for (int v : a) {
        i(v);
      }
    }

    void s(String v) {
      bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
