package dev.seam.collector.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry Collector with the kafka exporter and receiver (examples/otelcol/manifest.yaml)
 * as a child process. {@link #binary()} builds it with the official builder on the first call on a
 * machine (about four minutes on two cores, cached in ~/.cache/seam/otelcol after that) and fails,
 * never skips, when it cannot.
 */
public final class OtelCollector implements AutoCloseable {

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static Path binary;

  private final Process process;
  private final Path log;

  private OtelCollector(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The Collector binary, built by examples/otelcol/build.sh if it is not cached yet. */
  public static synchronized Path binary() throws IOException, InterruptedException {
    if (binary != null) {
      return binary;
    }
    Path root = KafkaBroker.repositoryRoot();
    Path buildLog = Files.createTempFile("otelcol-build", ".log");
    Path out = Files.createTempFile("otelcol-build", ".out");
    Process p =
        new ProcessBuilder("bash", root.resolve("examples/otelcol/build.sh").toString())
            .directory(root.toFile())
            .redirectOutput(out.toFile())
            .redirectError(buildLog.toFile())
            .start();
    if (!p.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException(
          "building the OpenTelemetry Collector took over "
              + BUILD_TIMEOUT
              + "\n"
              + KafkaBroker.tail(buildLog, 40));
    }
    List<String> printed = Files.readAllLines(out, StandardCharsets.UTF_8);
    Path bin = printed.isEmpty() ? null : Path.of(printed.get(printed.size() - 1).trim());
    if (p.exitValue() != 0 || bin == null || !Files.isExecutable(bin)) {
      throw new IllegalStateException(
          "examples/otelcol/build.sh failed (exit "
              + p.exitValue()
              + "): the Kafka tests need the OpenTelemetry Collector (Go and the Go module proxy)\n"
              + KafkaBroker.tail(buildLog, 40));
    }
    Files.deleteIfExists(buildLog);
    Files.deleteIfExists(out);
    binary = bin;
    return bin;
  }

  /** Runs the Collector with {@code config} and waits until it says it is ready. */
  public static OtelCollector start(Path config) throws IOException, InterruptedException {
    Path log = config.resolveSibling("otelcol.log");
    Process p =
        new ProcessBuilder(binary().toString(), "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    OtelCollector c = new OtelCollector(p, log);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.readString(log, StandardCharsets.UTF_8).contains("Everything is ready")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        c.close();
        throw new IllegalStateException(
            "the OpenTelemetry Collector did not start (exit "
                + (p.isAlive() ? "none" : p.exitValue())
                + ")\n"
                + c.logTail(40));
      }
      Thread.sleep(100);
    }
    return c;
  }

  /** The last lines of the Collector's log. */
  public String logTail(int lines) {
    return KafkaBroker.tail(log, lines);
  }

  /** Stops the Collector: SIGTERM, SIGKILL after 15 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
