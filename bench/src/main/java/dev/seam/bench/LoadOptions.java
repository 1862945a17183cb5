package dev.seam.bench;

/** The load generator's command-line options and their defaults. */
final class LoadOptions {
  String protocol = "grpc";
  String host = "127.0.0.1";
  int port = -1;
  double seconds = 20;
  double warmup = 0;
  int inflight = 4;
  long rate = 0;
  int spansPerRequest = Workload.DEFAULT_SPANS_PER_REQUEST;
  boolean logs = true;
  boolean callerOnly = false;
  long maxSpans = 0;
  double timeout = 10;
  long seed = System.nanoTime() ^ ProcessHandle.current().pid() << 32;
  int eventLoops = 1;
  String probeUrl;
  String probeMetric;
  int probeRepeats = 5;
  int probePollMs = 5;
  double probeTimeout = 120;
  double probeSpread = 1;
  boolean describe;

  /** Parses {@code --name value} pairs; throws IllegalArgumentException on a bad one. */
  static LoadOptions parse(String[] args) {
    LoadOptions o = new LoadOptions();
    for (int i = 0; i < args.length; i += 2) {
      String k = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + k);
      }
      String v = args[i + 1];
      switch (k) {
        case "--protocol":
          o.protocol = v;
          break;
        case "--host":
          o.host = v;
          break;
        case "--port":
          o.port = Integer.parseInt(v);
          break;
        case "--seconds":
          o.seconds = Double.parseDouble(v);
          break;
        case "--warmup":
          o.warmup = Double.parseDouble(v);
          break;
        case "--inflight":
          o.inflight = Integer.parseInt(v);
          break;
        case "--rate":
          o.rate = Long.parseLong(v);
          break;
        case "--spans-per-request":
          o.spansPerRequest = Integer.parseInt(v);
          break;
        case "--traces-per-batch":
          o.spansPerRequest = 2 * Integer.parseInt(v);
          break; // the old option
        case "--logs":
          o.logs = Boolean.parseBoolean(v);
          break;
        case "--sides":
          o.callerOnly =
              switch (v) {
                case "all" -> false;
                case "caller" -> true;
                default -> throw new IllegalArgumentException("--sides is all or caller");
              };
          break;
        case "--max-spans":
          o.maxSpans = Long.parseLong(v);
          break;
        case "--timeout":
          o.timeout = Double.parseDouble(v);
          break;
        case "--seed":
          o.seed = Long.parseLong(v);
          break;
        case "--event-loops":
          o.eventLoops = Integer.parseInt(v);
          break;
        case "--probe-url":
          o.probeUrl = v;
          break;
        case "--probe-metric":
          o.probeMetric = v;
          break;
        case "--probe-repeats":
          o.probeRepeats = Integer.parseInt(v);
          break;
        case "--probe-poll-ms":
          o.probePollMs = Integer.parseInt(v);
          break;
        case "--probe-timeout":
          o.probeTimeout = Double.parseDouble(v);
          break;
        case "--probe-spread":
          o.probeSpread = Double.parseDouble(v);
          break;
        case "--describe":
          o.describe = Boolean.parseBoolean(v);
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + k);
      }
    }
    if (!o.protocol.equals("grpc") && !o.protocol.equals("http")) {
      throw new IllegalArgumentException("--protocol is grpc or http");
    }
    if (o.port < 0) {
      o.port = o.protocol.equals("grpc") ? 4317 : 4318;
    }
    if (o.inflight < 1) {
      throw new IllegalArgumentException("--inflight must be at least 1");
    }
    return o;
  }
}
