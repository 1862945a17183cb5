package dev.seam.collector.config;

import dev.seam.collector.forward.ForwardConfig;
import dev.seam.collector.kafka.KafkaConfig;
import dev.seam.collector.kafka.PartitionHasher;
import dev.seam.collector.measure.Buckets;
import dev.seam.collector.model.Signal;
import dev.seam.collector.receive.BearerTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the embedded defaults, lays a YAML file over them, and validates the result. The
 * defaults file is also the schema: a key it does not have is refused, so a typo never passes
 * silently.
 */
public final class ConfigLoader {

  private static final String DEFAULTS = "/dev/seam/collector/config/defaults.yaml";
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|k|K|M|G)?");

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file a YAML file to lay over the defaults, or {@code null} for the defaults alone
   */
  public static SeamConfig load(Path file) throws ConfigException {
    Map<String, Object> tree = defaultsTree();
    if (file != null) {
      Object user;
      try {
        user = parse(Files.readString(file), file.toString());
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
      }
      if (user != null) {
        if (!(user instanceof Map)) {
          throw new ConfigException("config file " + file + ": the top level must be a mapping of keys");
        }
        merge(tree, asMap(user), "");
      }
    }
    return bind(tree);
  }

  /** Lays YAML documents over the defaults, each over the ones before it (for tests and tools). */
  public static SeamConfig fromYaml(String... layers) throws ConfigException {
    Map<String, Object> tree = defaultsTree();
    for (String yaml : layers) {
      Object user = parse(yaml, "config");
      if (user instanceof Map) {
        merge(tree, asMap(user), "");
      } else if (user != null) {
        throw new ConfigException("config: the top level must be a mapping of keys");
      }
    }
    return bind(tree);
  }

  private static Map<String, Object> defaultsTree() throws ConfigException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new ConfigException("embedded defaults " + DEFAULTS + " are missing from the jar");
      }
      return asMap(parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "embedded defaults"));
    } catch (IOException e) {
      throw new ConfigException("cannot read embedded defaults: " + e.getMessage(), e);
    }
  }

  private static Object parse(String text, String source) throws ConfigException {
    try {
      return new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : ((Map<Object, Object>) o).entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue() instanceof Map ? asMap(e.getValue()) : e.getValue());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> base, Map<String, Object> over, String prefix) throws ConfigException {
    for (Map.Entry<String, Object> e : over.entrySet()) {
      String key = prefix + e.getKey();
      if (!base.containsKey(e.getKey())) {
        throw new ConfigException("unknown config key '" + key + "'");
      }
      Object def = base.get(e.getKey());
      if (def instanceof Map && ((Map<?, ?>) def).isEmpty()) {
        // An empty default mapping holds names of the user's choosing (aliases): taken whole.
        if (!(e.getValue() instanceof Map)) {
          throw new ConfigException("config key '" + key + "' must be a mapping of names");
        }
        base.put(e.getKey(), e.getValue());
      } else if (def instanceof Map) {
        if (!(e.getValue() instanceof Map)) {
          throw new ConfigException("config key '" + key + "' must be a mapping of keys");
        }
        merge((Map<String, Object>) def, (Map<String, Object>) e.getValue(), key + ".");
      } else {
        base.put(e.getKey(), e.getValue());
      }
    }
  }

  private static SeamConfig bind(Map<String, Object> t) throws ConfigException {
    Tree tree = new Tree(t);
    SeamConfig.Endpoint grpc = endpoint(tree, "receivers.otlp.grpc");
    SeamConfig.Endpoint http = endpoint(tree, "receivers.otlp.http");
    SeamConfig.Endpoint metrics = new SeamConfig.Endpoint(true, tree.string("metrics.host"), tree.port("metrics.port"));
    SeamConfig.Pairing pairing = new SeamConfig.Pairing(
        tree.duration("pairing.window"),
        tree.integer("pairing.max-pending", 1, Integer.MAX_VALUE),
        tree.integer("pairing.shards", 1, 4096),
        tree.duration("pairing.sweep-interval"),
        new SeamConfig.ContextBroken(
            tree.bool("pairing.context-broken.enabled"),
            tree.duration("pairing.context-broken.clock-tolerance"),
            tree.integer("pairing.context-broken.max-roots", 1, 10_000_000)));
    SeamConfig.Normalize normalize = new SeamConfig.Normalize(
        tree.stringMap("normalize.service.aliases"),
        tree.bool("normalize.service.canonical"),
        new SeamConfig.LogContext(
            tree.bool("normalize.log-context.enabled"),
            tree.strings("normalize.log-context.trace-id-fields"),
            tree.strings("normalize.log-context.span-id-fields"),
            tree.strings("normalize.log-context.header-fields")));
    Optional<ForwardConfig> forward = tree.bool("forward.enabled") ? Optional.of(forward(tree)) : Optional.empty();
    int threads = tree.integer("pipeline.threads", 0, 1024);
    List<Duration> durations = tree.durations("boundary.buckets.duration");
    List<Duration> overhead = tree.durations("boundary.buckets.overhead");
    List<Long> bytes = tree.sizes("boundary.buckets.bytes");
    SeamConfig.Boundary boundary = new SeamConfig.Boundary(
        tree.bool("boundary.operation.enabled"),
        tree.integer("boundary.operation.max-per-boundary", 1, 10_000),
        tree.strings("boundary.allocated-bytes-attributes"),
        new Buckets(durations, overhead, bytes));
    return new SeamConfig(
        grpc,
        tree.size("receivers.otlp.grpc.max-message-size", 1024, 0xFFFFFFFFL),
        http,
        tree.size("receivers.otlp.http.max-body-size", 1024, Integer.MAX_VALUE - 16),
        metrics,
        pairing,
        normalize,
        forward,
        threads,
        boundary,
        tree.bool("compat.service-graph.enabled"),
        new SeamConfig.Limits(
            tree.size("limits.max-inflight-bytes", 1024, Long.MAX_VALUE),
            tree.share("limits.heap-share"),
            tree.duration("limits.retry-after"),
            tree.duration("limits.series-ttl"),
            tree.integer("limits.max-boundaries", 1, 10_000_000),
            tree.integer("limits.max-services", 1, 1_000_000),
            tree.duration("limits.read-timeout"),
            atLeastASecond(tree, "limits.idle-timeout"),
            tree.duration("limits.shutdown-timeout")),
        new SeamConfig.Auth(tokens(tree), tree.bool("auth.metrics")),
        tls(tree),
        kafka(tree));
  }

  /** The {@code kafka} section, checked by {@link KafkaConfig#validate()}. */
  private static KafkaConfig kafka(Tree tree) throws ConfigException {
    PartitionHasher partitioner;
    try {
      partitioner = PartitionHasher.fromConfigName(tree.string("kafka.partitioner"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key 'kafka.partitioner' must be sarama_compat or murmur2, got '"
          + tree.get("kafka.partitioner") + "'");
    }
    try {
      return new KafkaConfig(
          tree.strings("kafka.brokers").stream().map(String::trim).toList(),
          tree.string("kafka.group"),
          new KafkaConfig.Topics(tree.string("kafka.topics.spans"), tree.string("kafka.topics.logs"),
              tree.string("kafka.topics.metrics")),
          tree.bool("kafka.consume"),
          tree.bool("kafka.produce"),
          partitioner,
          tree.string("kafka.client-id"),
          tree.string("kafka.initial-offset"),
          tree.duration("kafka.session-timeout"),
          tree.duration("kafka.produce-timeout"),
          new KafkaConfig.Tls(tree.bool("kafka.tls.enabled"), text(tree, "kafka.tls.ca-file"),
              text(tree, "kafka.tls.cert-file"), text(tree, "kafka.tls.key-file"),
              tree.bool("kafka.tls.verify-hostname")),
          new KafkaConfig.Sasl(text(tree, "kafka.sasl.mechanism"), text(tree, "kafka.sasl.username"),
              text(tree, "kafka.sasl.password"), text(tree, "kafka.sasl.password-file")))
          .validate();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** A value that may be empty, trimmed. */
  private static String text(Tree tree, String key) throws ConfigException {
    return String.valueOf(tree.get(key)).trim();
  }

  private static ForwardConfig forward(Tree tree) throws ConfigException {
    String protocol = tree.string("forward.protocol");
    if (!protocol.equals("http/protobuf") && !protocol.equals("grpc")) {
      throw new ConfigException("config key 'forward.protocol' must be http/protobuf or grpc, got '" + protocol + "'");
    }
    String text = tree.string("forward.endpoint");
    URI endpoint;
    try {
      endpoint = new URI(text);
    } catch (URISyntaxException e) {
      endpoint = null;
    }
    if (endpoint == null || endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new ConfigException("config key 'forward.endpoint' must be an http:// or https:// URL with a host, got '" + text + "'");
    }
    if (endpoint.getPort() < 0) {
      try {
        endpoint = new URI(endpoint.getScheme(), null, endpoint.getHost(), "https".equals(endpoint.getScheme()) ? 443 : 80, endpoint.getPath(), null, null);
      } catch (URISyntaxException e) {
        throw new ConfigException("config key 'forward.endpoint': " + e.getMessage(), e);
      }
    }
    Set<Signal> signals = EnumSet.noneOf(Signal.class);
    for (String s : tree.strings("forward.signals")) {
      switch (s) {
        case "spans": signals.add(Signal.SPANS); break;
        case "logs": signals.add(Signal.LOGS); break;
        default: throw new ConfigException("config key 'forward.signals' may list spans and logs, got '" + s + "'");
      }
    }
    String compression = tree.string("forward.compression");
    if (!compression.equals("gzip") && !compression.equals("none")) {
      throw new ConfigException("config key 'forward.compression' must be gzip or none, got '" + compression + "'");
    }
    return new ForwardConfig(
        endpoint,
        protocol.equals("grpc"),
        signals,
        compression.equals("gzip"),
        tree.duration("forward.timeout"),
        tree.integer("forward.queue-items", 1, Integer.MAX_VALUE),
        tree.integer("forward.max-in-flight", 1, 1024),
        tree.duration("forward.retry.initial-backoff"),
        tree.duration("forward.retry.max-backoff"),
        tree.duration("forward.retry.max-elapsed"),
        tree.stringMap("forward.headers"));
  }

  private static Optional<SeamConfig.Tls> tls(Tree tree) throws ConfigException {
    String cert = String.valueOf(tree.get("receivers.otlp.tls.cert-file")).trim();
    String key = String.valueOf(tree.get("receivers.otlp.tls.key-file")).trim();
    String ca = String.valueOf(tree.get("receivers.otlp.tls.client-ca-file")).trim();
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new ConfigException("config keys 'receivers.otlp.tls.cert-file' and 'receivers.otlp.tls.key-file' go together");
    }
    for (String[] f : new String[][] {{"cert-file", cert}, {"key-file", key}, {"client-ca-file", ca}}) {
      if (!f[1].isEmpty() && !Files.isReadable(Path.of(f[1]))) {
        throw new ConfigException("config key 'receivers.otlp.tls." + f[0] + "': cannot read " + f[1]);
      }
    }
    return Optional.of(new SeamConfig.Tls(cert, key, ca.isEmpty() ? null : ca));
  }

  /** Tokens from a file (one per line, # comments) and from an environment variable (comma-separated). */
  private static BearerTokens tokens(Tree tree) throws ConfigException {
    List<String> tokens = new ArrayList<>();
    String file = String.valueOf(tree.get("auth.tokens-file")).trim();
    if (!file.isEmpty()) {
      try {
        for (String line : Files.readAllLines(Path.of(file))) {
          if (!line.isBlank() && !line.trim().startsWith("#")) {
            tokens.add(line.trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("config key 'auth.tokens-file': cannot read " + file + ": " + e.getMessage(), e);
      }
      if (tokens.isEmpty()) {
        throw new ConfigException("config key 'auth.tokens-file': " + file + " holds no token");
      }
    }
    String env = String.valueOf(tree.get("auth.tokens-env")).trim();
    if (!env.isEmpty()) {
      String value = System.getenv(env);
      if (value == null || value.isBlank()) {
        throw new ConfigException("config key 'auth.tokens-env': the environment variable " + env + " is not set");
      }
      for (String t : value.split(",")) {
        if (!t.isBlank()) {
          tokens.add(t.trim());
        }
      }
    }
    if (tree.bool("auth.metrics") && tokens.isEmpty()) {
      throw new ConfigException("config key 'auth.metrics' needs tokens (auth.tokens-file or auth.tokens-env)");
    }
    return tokens.isEmpty() ? BearerTokens.NONE : new BearerTokens(tokens);
  }

  private static Duration atLeastASecond(Tree tree, String key) throws ConfigException {
    Duration d = tree.duration(key);
    if (d.toSeconds() < 1) {
      throw new ConfigException("config key '" + key + "' must be at least 1s, got " + d.toMillis() + "ms");
    }
    return d;
  }

  private static SeamConfig.Endpoint endpoint(Tree tree, String prefix) throws ConfigException {
    return new SeamConfig.Endpoint(tree.bool(prefix + ".enabled"), tree.string(prefix + ".host"), tree.port(prefix + ".port"));
  }

  /** Parses {@code 10s}, {@code 500ms}, {@code 2.5us}, {@code 1m}. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    double v = Double.parseDouble(m.group(1));
    double nanosPer;
    switch (m.group(2)) {
      case "ns": nanosPer = 1; break;
      case "us":
      case "µs": nanosPer = 1e3; break;
      case "ms": nanosPer = 1e6; break;
      case "s": nanosPer = 1e9; break;
      case "m": nanosPer = 60e9; break;
      default: nanosPer = 3600e9; break;
    }
    return Duration.ofNanos(Math.round(v * nanosPer));
  }

  /** Parses {@code 16MiB}, {@code 512KiB}, {@code 1048576}; {@code null} when malformed or beyond a long. */
  static Long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor;
    switch (unit) {
      case "KiB": case "k": case "K": factor = 1L << 10; break;
      case "MiB": case "M": factor = 1L << 20; break;
      case "GiB": case "G": factor = 1L << 30; break;
      case "KB": factor = 1000L; break;
      case "MB": factor = 1000_000L; break;
      case "GB": factor = 1000_000_000L; break;
      default: factor = 1L; break;
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** A YAML integer as a long, or {@code null} when it does not fit (YAML reads those as BigInteger). */
  private static Long exactLong(Number n) {
    if (n instanceof java.math.BigInteger) {
      java.math.BigInteger b = (java.math.BigInteger) n;
      return b.bitLength() < 64 ? b.longValue() : null;
    }
    return n.longValue();
  }

  /** Typed reads of the merged tree, each failing with the key's name. */
  private static final class Tree {
    private final Map<String, Object> root;

    Tree(Map<String, Object> root) {
      this.root = root;
    }

    @SuppressWarnings("unchecked")
    Object get(String key) throws ConfigException {
      Object node = root;
      for (String part : key.split("\\.")) {
        if (!(node instanceof Map)) {
          throw new ConfigException("config key '" + key + "' is missing");
        }
        node = ((Map<String, Object>) node).get(part);
      }
      if (node == null) {
        throw new ConfigException("config key '" + key + "' has no value");
      }
      return node;
    }

    String string(String key) throws ConfigException {
      Object v = get(key);
      if (v instanceof Map || v instanceof List) {
        throw new ConfigException("config key '" + key + "' must be a single value, not " + describe(v));
      }
      String s = String.valueOf(v).trim();
      if (s.isEmpty()) {
        throw new ConfigException("config key '" + key + "' must not be empty");
      }
      return s;
    }

    boolean bool(String key) throws ConfigException {
      Object v = get(key);
      if (v instanceof Boolean) {
        return (Boolean) v;
      }
      throw new ConfigException("config key '" + key + "' must be true or false, got '" + v + "'");
    }

    int integer(String key, int min, int max) throws ConfigException {
      Object v = get(key);
      long n;
      if (v instanceof Number && !(v instanceof Double) && !(v instanceof Float)) {
        Long exact = exactLong((Number) v);
        if (exact == null) {
          throw new ConfigException("config key '" + key + "' must be between " + min + " and " + max + ", got " + v);
        }
        n = exact;
      } else {
        throw new ConfigException("config key '" + key + "' must be a whole number, got '" + v + "'");
      }
      if (n < min || n > max) {
        throw new ConfigException("config key '" + key + "' must be between " + min + " and " + max + ", got " + n);
      }
      return (int) n;
    }

    double share(String key) throws ConfigException {
      Object v = get(key);
      if (!(v instanceof Number)) {
        throw new ConfigException("config key '" + key + "' must be a number between 0.1 and 1, got '" + v + "'");
      }
      double d = ((Number) v).doubleValue();
      if (!(d >= 0.1 && d <= 1.0)) {
        throw new ConfigException("config key '" + key + "' must be between 0.1 and 1, got " + v);
      }
      return d;
    }

    int port(String key) throws ConfigException {
      return integer(key, 0, 65535);
    }

    Duration duration(String key) throws ConfigException {
      Object v = get(key);
      Duration d = v instanceof String ? parseDuration((String) v) : null;
      if (d == null || d.isZero() || d.isNegative()) {
        throw new ConfigException("config key '" + key + "' must be a positive duration such as 10s or 500ms, got '" + v + "'");
      }
      return d;
    }

    long size(String key, long min, long max) throws ConfigException {
      Object v = get(key);
      Long n = v instanceof Number && !(v instanceof Double) ? exactLong((Number) v) : v instanceof String ? parseSize((String) v) : null;
      if (n == null) {
        throw new ConfigException("config key '" + key + "' must be a size such as 16MiB or 65536 (at most " + max + " bytes), got '" + v + "'");
      }
      if (n < min || n > max) {
        throw new ConfigException("config key '" + key + "' must be between " + min + " and " + max + " bytes, got " + n);
      }
      return n;
    }

    List<String> strings(String key) throws ConfigException {
      List<?> list = list(key);
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        if (o instanceof Map || o instanceof List || o == null) {
          throw new ConfigException("config key '" + key + "' must be a list of names");
        }
        out.add(String.valueOf(o));
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, String> stringMap(String key) throws ConfigException {
      Object v = get(key);
      if (!(v instanceof Map)) {
        throw new ConfigException("config key '" + key + "' must be a mapping of names, got " + describe(v));
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
        Object value = e.getValue();
        if (value == null || value instanceof Map || value instanceof List || String.valueOf(value).isBlank()) {
          throw new ConfigException("config key '" + key + "." + e.getKey() + "' must be a name");
        }
        out.put(e.getKey(), String.valueOf(value).trim());
      }
      return out;
    }

    List<Duration> durations(String key) throws ConfigException {
      List<?> list = list(key);
      List<Duration> out = new ArrayList<>();
      for (Object o : list) {
        Duration d = o instanceof String ? parseDuration((String) o) : null;
        if (d == null || d.isZero() || d.isNegative()) {
          throw new ConfigException("config key '" + key + "' must list positive durations such as 1ms, got '" + o + "'");
        }
        out.add(d);
      }
      ascending(key, out);
      return out;
    }

    List<Long> sizes(String key) throws ConfigException {
      List<?> list = list(key);
      List<Long> out = new ArrayList<>();
      for (Object o : list) {
        Long n = o instanceof Number && !(o instanceof Double) ? exactLong((Number) o) : o instanceof String ? parseSize((String) o) : null;
        if (n == null || n <= 0) {
          throw new ConfigException("config key '" + key + "' must list positive sizes such as 1024 or 1MiB, got '" + o + "'");
        }
        out.add(n);
      }
      ascending(key, out);
      return out;
    }

    private List<?> list(String key) throws ConfigException {
      Object v = get(key);
      if (!(v instanceof List)) {
        throw new ConfigException("config key '" + key + "' must be a list, got " + describe(v));
      }
      return (List<?>) v;
    }

    private static <T extends Comparable<T>> void ascending(String key, List<T> values) throws ConfigException {
      if (values.isEmpty()) {
        throw new ConfigException("config key '" + key + "' must not be empty");
      }
      for (int i = 1; i < values.size(); i++) {
        if (values.get(i).compareTo(values.get(i - 1)) <= 0) {
          throw new ConfigException("config key '" + key + "' must be in ascending order");
        }
      }
    }

    private static String describe(Object v) {
      return v instanceof Map ? "a mapping" : v instanceof List ? "a list" : "'" + v + "'";
    }
  }
}
