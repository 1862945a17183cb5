package dev.seam.collector.testing;

import dev.seam.collector.model.Signal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One golden case directory: the Seam configuration it runs under ({@code seam.yaml}), its OTLP
 * inputs in the order they are sent, and its expected series ({@code expected.prom}). The rules are
 * in {@code src/test/resources/golden/README.md}.
 */
public final class GoldenCase {

  /** Laid over the test layer before a case's own {@code seam.yaml}: a short pairing window. */
  public static final String GOLDEN_LAYER = "pairing: {window: 1s}\n";

  private static final Pattern AFTER_MILLIS = Pattern.compile("after-(\\d+)ms");

  /**
   * One input file.
   *
   * @param file the OTLP/JSON export request
   * @param signal which export it is, from its top-level key
   * @param grpc sent as protobuf over OTLP/gRPC ({@code *.grpc.json}) rather than as JSON over
   *     OTLP/HTTP
   * @param afterWindow sent only once every earlier entry has left the pairing store
   * @param delayMillis how long to wait before sending it
   */
  public record Input(
      Path file, Signal signal, boolean grpc, boolean afterWindow, long delayMillis) {

    /** The file's bytes. */
    public byte[] bytes() throws IOException {
      return Files.readAllBytes(file);
    }
  }

  private final Path dir;

  private GoldenCase(Path dir) {
    this.dir = dir;
  }

  /** Every case under {@code root}, by name. */
  public static List<GoldenCase> all(Path root) throws IOException {
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).sorted().map(GoldenCase::new).toList();
    }
  }

  /** The directory's name. */
  public String name() {
    return dir.getFileName().toString();
  }

  /** The case's {@code seam.yaml}, or an empty layer when it has none. */
  public String config() throws IOException {
    Path f = dir.resolve("seam.yaml");
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
  }

  /** The {@code *.json} files in name order. */
  public List<Input> inputs() throws IOException {
    List<Input> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        String name = f.getFileName().toString();
        Matcher m = AFTER_MILLIS.matcher(name);
        out.add(
            new Input(
                f,
                signalOf(f),
                name.endsWith(".grpc.json"),
                name.contains("after-window"),
                m.find() ? Long.parseLong(m.group(1)) : 0));
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError(dir + " has no *.json input");
    }
    return out;
  }

  /** Where the expected series are. */
  public Path expectedFile() {
    return dir.resolve("expected.prom");
  }

  @Override
  public String toString() {
    return name();
  }

  private static Signal signalOf(Path f) throws IOException {
    JsonObject json = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
    if (json.containsKey("resourceSpans")) {
      return Signal.SPANS;
    }
    if (json.containsKey("resourceLogs")) {
      return Signal.LOGS;
    }
    if (json.containsKey("resourceMetrics")) {
      return Signal.METRICS;
    }
    throw new AssertionError(
        f + " is not an OTLP export request: no resourceSpans, resourceLogs or resourceMetrics");
  }
}
