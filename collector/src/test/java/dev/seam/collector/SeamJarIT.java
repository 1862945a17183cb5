package dev.seam.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.pair.PairingConfig;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built jar the way the README does: {@code java -jar seam-collector.jar [--config file]}.
 *
 * <p>Longer than most test classes: the cases share the built jar, started as a separate process as
 * bin/seam runs it.
 */
class SeamJarIT {

  private static final String JAR = System.getProperty("seam.jar", "target/seam-collector.jar");

  /** The JVM options Seam ships with, a java argument file. */
  private static final Path SHIPPED_OPTIONS = Path.of("..", "deploy", "jvm.options");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void jarStartsOnAConfigFileServesOtlpAndStopsCleanlyOnSigterm(@TempDir Path dir)
      throws Exception {
    int grpc = freePort();
    int otlpHttp = freePort();
    int metrics = freePort();
    Path config = dir.resolve("seam.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    grpc: {host: 127.0.0.1, port: " + grpc + "}",
            "    http: {host: 127.0.0.1, port: " + otlpHttp + "}",
            "metrics: {host: 127.0.0.1, port: " + metrics + "}",
            "pairing: {window: 2s}",
            ""));
    // With the JVM options Seam ships (deploy/jvm.options, as bin/seam and the deployments start
    // it): a heap that cannot hold the default pairing bounds, which Seam fits to it.
    Process p =
        new ProcessBuilder(
                java(), "@" + SHIPPED_OPTIONS, "-jar", JAR, "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    try {
      String base = "http://127.0.0.1:" + metrics;
      awaitStatus(base + "/readyz", 200, Duration.ofSeconds(30));
      assertEquals(200, get(base + "/healthz").statusCode());
      Matcher fitted =
          Pattern.compile(
                  "pairing: a (\\d+) MiB heap holds ([\\d,]+) pending entries"
                      + " \\(pairing.max-pending 2,000,000\\) and ([\\d,]+) ended spans")
              .matcher(Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8));
      assertTrue(fitted.find(), "Seam did not say it fitted its pairing bounds to the heap");
      int mib = Integer.parseInt(fitted.group(1));
      assertTrue(mib > 200 && mib <= 224, "the shipped heap is " + mib + " MiB");
      long pending = Long.parseLong(fitted.group(2).replace(",", ""));
      // The log rounds the heap down to whole MiB: up to 1 MiB more holds up to 3,700 more.
      long fits = PairingConfig.DEFAULT.fittedTo((long) mib << 20).maxPending();
      assertTrue(pending >= fits && pending < fits + 3_700, pending + " vs " + fits);
      assertEquals(
          pending,
          new Scrape(get(base + "/metrics").body()).value("seam_pairing_capacity"),
          "the capacity gauge shows the bound in force");

      byte[] body =
          Otlp.traces(
                  Otlp.resourceSpans(
                      Otlp.resource("gateway", "go"),
                      Otlp.span(
                              "0af7651916cd43dd8448eb211c80319c",
                              "b7ad6b7169203331",
                              "",
                              SpanKind.SPAN_KIND_CLIENT,
                              Otlp.T0,
                              3_000_000)
                          .addAttributes(Otlp.attr("http.request.method", "GET"))),
                  Otlp.resourceSpans(
                      Otlp.resource("pricing", "rust"),
                      Otlp.span(
                              "0af7651916cd43dd8448eb211c80319c",
                              "00f067aa0ba902b7",
                              "b7ad6b7169203331",
                              SpanKind.SPAN_KIND_SERVER,
                              Otlp.T0 + 500_000,
                              2_000_000)
                          .setFlags(Otlp.REMOTE_PARENT)
                          .addAttributes(Otlp.attr("http.route", "/price"))))
              .toByteArray();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpHttp + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());

      Scrape s = new Scrape(get(base + "/metrics").body());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (s.sum("seam_boundary_calls_total") < 1 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        s = new Scrape(get(base + "/metrics").body());
      }
      assertEquals(
          1,
          s.value(
              "seam_boundary_calls_total",
              "caller_service",
              "gateway",
              "callee_service",
              "pricing",
              "transport",
              "http",
              "operation",
              "/price"));
      assertEquals(
          0.001, s.value("seam_boundary_overhead_seconds_sum", "caller_service", "gateway"), 1e-9);

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "Seam did not stop within 20 s of SIGTERM");
      String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
      assertTrue(out.contains("Seam listening"), out);
      assertTrue(out.contains("seam: stopped"), out);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void sighupReloadsTokensAndKeepsTheRunningConfigurationWhenTheFileIsInvalid(@TempDir Path dir)
      throws Exception {
    int grpc = freePort();
    int otlpHttp = freePort();
    int metrics = freePort();
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "first-token\n");
    Path config = dir.resolve("seam.yaml");
    String good =
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    grpc: {host: 127.0.0.1, port: " + grpc + "}",
            "    http: {host: 127.0.0.1, port: " + otlpHttp + "}",
            "metrics: {host: 127.0.0.1, port: " + metrics + "}",
            "auth: {tokens-file: '" + tokens + "'}",
            "");
    Files.writeString(config, good);
    Process p =
        new ProcessBuilder(java(), "-Xmx256m", "-jar", JAR, "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    try {
      awaitStatus("http://127.0.0.1:" + metrics + "/readyz", 200, Duration.ofSeconds(30));
      String traces = "http://127.0.0.1:" + otlpHttp + "/v1/traces";
      assertEquals(200, post(traces, "first-token"));
      assertEquals(401, post(traces, "second-token"));

      Files.writeString(tokens, "second-token\n");
      hangUp(p);
      awaitPost(traces, "second-token", 200);
      assertEquals(401, post(traces, "first-token"));

      Files.writeString(config, good + "pairing: {window: soon}\n");
      hangUp(p);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.readString(dir.resolve("out.log")).contains("kept the running configuration")
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String out = Files.readString(dir.resolve("out.log"));
      assertTrue(
          out.contains("kept the running configuration") && out.contains("'pairing.window'"), out);
      assertEquals(200, post(traces, "second-token"), "still running, on the configuration it had");
      assertTrue(p.isAlive());
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private int post(String url, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private void awaitPost(String url, String token, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (post(url, token) != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + status + " for token " + token + " within 10 s");
      }
      Thread.sleep(100);
    }
  }

  private static void hangUp(Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
  }

  @Test
  void checkConfigValidatesAndExits(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("ok.yaml");
    Files.writeString(config, "pairing:\n  window: 5s\n");
    Process p =
        new ProcessBuilder(java(), "-jar", JAR, "--config", config.toString(), "--check-config")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("is valid"), out);

    Files.writeString(config, "pairing:\n  window: -5s\n");
    p =
        new ProcessBuilder(java(), "-jar", JAR, "--config", config.toString(), "--check-config")
            .redirectErrorStream(true)
            .start();
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("'pairing.window'"), out);
  }

  @Test
  void checkContractsValidatesAContractFileAndNamesTheOffendingKey(@TempDir Path dir)
      throws Exception {
    Path contracts = dir.resolve("contracts.yaml");
    Files.writeString(
        contracts,
        "owners: {gateway: {team: edge}}\n"
            + "boundaries:\n"
            + "  - {caller: gateway, callee: pricing, transport: grpc}\n");
    Process p =
        new ProcessBuilder(java(), "-jar", JAR, "--check-contracts", contracts.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("is valid (1 boundaries)"), out);

    Files.writeString(
        contracts,
        "boundaries:\n"
            + "  - {caller: a, callee: b}\n"
            + "  - {caller: a, callee: c}\n"
            + "  - {caller: a, callee: d, budgets: {caller_p99: fast}}\n");
    p =
        new ProcessBuilder(java(), "-jar", JAR, "--check-contracts", contracts.toString())
            .redirectErrorStream(true)
            .start();
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(
        out.contains("key 'boundaries[2].budgets.caller_p99' must be a positive duration"), out);

    // --check-config checks the contract file the configuration names.
    Path config = dir.resolve("seam.yaml");
    Files.writeString(config, "contracts: {file: '" + contracts + "'}\n");
    p =
        new ProcessBuilder(java(), "-jar", JAR, "--config", config.toString(), "--check-config")
            .redirectErrorStream(true)
            .start();
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("boundaries[2].budgets.caller_p99"), out);
  }

  @Test
  void contractsReloadWhenTheFileChangesAndOnSighupAndAnInvalidOneKeepsThemInForce(
      @TempDir Path dir) throws Exception {
    int metrics = freePort();
    Path contracts = dir.resolve("contracts.yaml");
    String first =
        "boundaries:\n"
            + "  - {caller: gateway, callee: pricing, transport: grpc, budgets: {caller_p99:"
            + " 250ms}}\n";
    Files.writeString(contracts, first);
    Path config = dir.resolve("seam.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    grpc: {host: 127.0.0.1, port: " + freePort() + "}",
            "    http: {host: 127.0.0.1, port: " + freePort() + "}",
            "metrics: {host: 127.0.0.1, port: " + metrics + "}",
            "contracts: {file: '" + contracts + "', check-interval: 100ms}",
            ""));
    Process p =
        new ProcessBuilder(java(), "-Xmx256m", "-jar", JAR, "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    try {
      String url = "http://127.0.0.1:" + metrics + "/metrics";
      awaitStatus("http://127.0.0.1:" + metrics + "/readyz", 200, Duration.ofSeconds(30));
      Scrape s = new Scrape(get(url).body());
      assertEquals(
          0.25,
          s.value(
              "seam_boundary_budget", "callee_service", "pricing", "budget", "caller_p99_seconds"));
      assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "loaded"));

      replace(
          contracts,
          first
              + "  - {caller: gateway, callee: ledger, transport: http, budgets: {caller_p99:"
              + " soon}}\n");
      s = awaitReload(url, "invalid", 1, 0);
      assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "invalid"));
      assertEquals(0, s.value("seam_contracts_last_reload_successful"));
      assertEquals(
          0.25,
          s.value(
              "seam_boundary_budget", "callee_service", "pricing", "budget", "caller_p99_seconds"),
          "still in force");
      assertTrue(
          Files.readString(dir.resolve("out.log")).contains("boundaries[1].budgets.caller_p99"));

      replace(
          contracts,
          first
              + "  - {caller: gateway, callee: ledger, transport: http, budgets: {caller_p99:"
              + " 1s}}\n");
      s = awaitReload(url, "loaded", 2, 1);
      assertEquals(2, s.value("seam_contracts_reload_total", "outcome", "loaded"));
      assertEquals(
          1,
          s.value(
              "seam_boundary_budget", "callee_service", "ledger", "budget", "caller_p99_seconds"));
      assertEquals(1, s.value("seam_contracts_last_reload_successful"));

      hangUp(p);
      s = awaitScrape(url, x -> x.value("seam_contracts_reload_total", "outcome", "loaded") == 3);
      assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "invalid"));
      assertTrue(p.isAlive());
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  /**
   * Writes a file whole, as editors and Kubernetes' volume updates do, so that a check for changes
   * never reads it half written.
   */
  private static void replace(Path file, String text) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, text);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Scrapes until {@code outcome} counted {@code count} reloads and the last one's gauge reads
   * {@code successful}: a scrape reads one meter after another while a reload may be under way, so
   * the two are awaited together.
   */
  private Scrape awaitReload(String url, String outcome, double count, double successful)
      throws Exception {
    return awaitScrape(
        url,
        x ->
            x.value("seam_contracts_reload_total", "outcome", outcome) == count
                && x.value("seam_contracts_last_reload_successful") == successful);
  }

  private Scrape awaitScrape(String url, Predicate<Scrape> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Scrape s = new Scrape(get(url).body());
      if (done.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 10 s:\n" + s.text());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void badConfigStopsTheStartWithTheKeyNamed(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "pairing:\n  window: soon\n");
    Process p =
        new ProcessBuilder(java(), "-jar", JAR, "--config", config.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("'pairing.window'"), out);

    Files.writeString(config, "receivers:\n  otlp:\n    grcp:\n      port: 1\n");
    p =
        new ProcessBuilder(java(), "-jar", JAR, "--config", config.toString())
            .redirectErrorStream(true)
            .start();
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("unknown config key 'receivers.otlp.grcp'"), out);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitStatus(String url, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (get(url).statusCode() == status) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " did not answer " + status + " within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
