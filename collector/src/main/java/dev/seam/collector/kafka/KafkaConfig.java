package dev.seam.collector.kafka;

import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Seam's {@code kafka.*} settings: which brokers, consumer group and topics, whether Seam also
 * writes what its receivers accept, with which partitioner, and the client's TLS and SASL. It turns
 * them into kafka-clients properties; {@link #validate()} names the key at fault (relative to the
 * {@code kafka} section).
 *
 * @param brokers bootstrap servers as {@code host:port} ({@code kafka.brokers}); empty: Kafka is
 *     off
 * @param group the consumer group all Seam instances join ({@code kafka.group})
 * @param topics the topic of each signal ({@code kafka.topics.*})
 * @param consume whether Seam reads the topics in the group ({@code kafka.consume})
 * @param produce whether the OTLP receivers write what they accept to the topics ({@code
 *     kafka.produce})
 * @param partitioner where a keyed record goes ({@code kafka.partitioner}); a fleet that mixes Seam
 *     and OpenTelemetry Collectors as writers must use the Collectors' hasher. The consumer uses it
 *     too, to tell which partition a held trace came from.
 * @param clientId the client id the brokers see ({@code kafka.client-id})
 * @param initialOffset where a group with no committed offset starts reading a partition: {@code
 *     latest} or {@code earliest} ({@code kafka.initial-offset})
 * @param sessionTimeout how long the group waits for a silent member before it gives that member's
 *     partitions to the others ({@code kafka.session-timeout})
 * @param produceTimeout how long an export may wait for Kafka to acknowledge its records before the
 *     client is told to retry ({@code kafka.produce-timeout})
 * @param tls TLS to the brokers ({@code kafka.tls.*})
 * @param sasl SASL authentication ({@code kafka.sasl.*})
 *     <p>Longer than most records because it also turns the settings into the consumer, producer
 *     and security properties of kafka-clients, which must agree with its checks.
 */
public record KafkaConfig(
    List<String> brokers,
    String group,
    Topics topics,
    boolean consume,
    boolean produce,
    PartitionHasher partitioner,
    String clientId,
    String initialOffset,
    Duration sessionTimeout,
    Duration produceTimeout,
    Tls tls,
    Sasl sasl)
    implements ComponentConfig {

  public KafkaConfig {
    // Bootstrap entries as written, with the spaces YAML lists often carry taken off.
    brokers = brokers == null ? null : brokers.stream().map(String::trim).toList();
  }

  /** Kafka's default session timeout. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);

  /** Well under the 10 s that OTLP exporters give an export by default. */
  public static final Duration DEFAULT_PRODUCE_TIMEOUT = Duration.ofSeconds(5);

  /** Kafka off: no brokers. The other values are the defaults. */
  public static final KafkaConfig DISABLED =
      new KafkaConfig(
          List.of(),
          "seam",
          Topics.DEFAULT,
          false,
          PartitionHasher.SARAMA_COMPAT,
          "seam",
          Tls.NONE,
          Sasl.NONE);

  /**
   * Consuming when there are brokers, starting at the latest records, with the default timeouts.
   */
  public KafkaConfig(
      List<String> brokers,
      String group,
      Topics topics,
      boolean produce,
      PartitionHasher partitioner,
      String clientId,
      Tls tls,
      Sasl sasl) {
    this(
        brokers,
        group,
        topics,
        true,
        produce,
        partitioner,
        clientId,
        "latest",
        DEFAULT_SESSION_TIMEOUT,
        DEFAULT_PRODUCE_TIMEOUT,
        tls,
        sasl);
  }

  /**
   * The topic of each signal; the defaults are the Collector's exporter's.
   *
   * @param spans {@code kafka.topics.spans}, default {@code otlp_spans}
   * @param logs {@code kafka.topics.logs}, default {@code otlp_logs}
   * @param metrics {@code kafka.topics.metrics}, default {@code otlp_metrics}
   */
  public record Topics(String spans, String logs, String metrics) implements ComponentConfig {
    /** {@code otlp_spans}, {@code otlp_logs}, {@code otlp_metrics}. */
    public static final Topics DEFAULT = new Topics("otlp_spans", "otlp_logs", "otlp_metrics");
  }

  /**
   * TLS to the brokers, from PEM files.
   *
   * @param enabled {@code kafka.tls.enabled}
   * @param caFile {@code kafka.tls.ca-file}: CAs the brokers' certificates must chain to; empty:
   *     the JVM's default trust store
   * @param certFile {@code kafka.tls.cert-file}: client certificate chain for mutual TLS, or empty
   * @param keyFile {@code kafka.tls.key-file}: its private key, unencrypted PKCS#8 ({@code BEGIN
   *     PRIVATE KEY}), or empty
   * @param verifyHostname {@code kafka.tls.verify-hostname}: check that a broker's certificate
   *     names the host connected to
   */
  public record Tls(
      boolean enabled, String caFile, String certFile, String keyFile, boolean verifyHostname)
      implements ComponentConfig {
    /** TLS off. */
    public static final Tls NONE = new Tls(false, "", "", "", true);
  }

  /**
   * SASL authentication.
   *
   * @param mechanism {@code kafka.sasl.mechanism}: empty (none), {@code PLAIN}, {@code
   *     SCRAM-SHA-256} or {@code SCRAM-SHA-512}
   * @param username {@code kafka.sasl.username}
   * @param password {@code kafka.sasl.password}, or empty when {@code passwordFile} is set
   * @param passwordFile {@code kafka.sasl.password-file}: a file whose first line is the password
   */
  public record Sasl(String mechanism, String username, String password, String passwordFile)
      implements ComponentConfig {
    /** SASL off. */
    public static final Sasl NONE = new Sasl("", "", "", "");

    /** Whether a mechanism is set. */
    public boolean enabled() {
      return !mechanism.isEmpty();
    }

    @Override
    public String toString() {
      return "Sasl[mechanism="
          + mechanism
          + ", username="
          + username
          + ", password="
          + (password.isEmpty() ? "" : "***")
          + ", passwordFile="
          + passwordFile
          + "]";
    }
  }

  private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /** Whether Seam uses Kafka at all: brokers are set. */
  public boolean enabled() {
    return !brokers.isEmpty();
  }

  /** Whether Seam reads the topics: brokers are set and {@code kafka.consume} is on. */
  public boolean consumes() {
    return enabled() && consume;
  }

  /** Whether the receivers write to the topics: brokers are set and {@code kafka.produce} is on. */
  public boolean produces() {
    return enabled() && produce;
  }

  /**
   * Checks every value; throws {@link InvalidConfigException} naming the key within the section, as
   * in {@code config key 'group' must not be empty} (the loader reports {@code kafka.group}). Files
   * named by TLS and SASL keys must be readable.
   */
  @Override
  public void validate() {
    checked();
  }

  /** {@link #validate()}, returning this configuration. */
  public KafkaConfig checked() {
    if (brokers == null) {
      throw bad("kafka.brokers", "must be a list of host:port");
    }
    if (tls == null) {
      throw bad("kafka.tls", "must be set");
    }
    if (sasl == null) {
      throw bad("kafka.sasl", "must be set");
    }
    for (String b : brokers) {
      int colon = b.lastIndexOf(':');
      if (b.isBlank() || colon <= 0 || colon == b.length() - 1 || !isPort(b.substring(colon + 1))) {
        throw bad("kafka.brokers", "must be a list of host:port, got '" + b + "'");
      }
    }
    nonEmpty("kafka.group", group);
    nonEmpty("kafka.client-id", clientId);
    if (topics == null) {
      throw bad("kafka.topics", "must be set");
    }
    topic("kafka.topics.spans", topics.spans());
    topic("kafka.topics.logs", topics.logs());
    topic("kafka.topics.metrics", topics.metrics());
    // A record's signal is its topic's.
    if (topics.logs().equals(topics.spans())) {
      throw bad("kafka.topics.logs", "must differ from kafka.topics.spans");
    }
    if (topics.metrics().equals(topics.spans()) || topics.metrics().equals(topics.logs())) {
      throw bad(
          "kafka.topics.metrics", "must differ from kafka.topics.spans and kafka.topics.logs");
    }
    if (produce && !enabled()) {
      throw bad("kafka.produce", "needs kafka.brokers");
    }
    if (partitioner == null) {
      throw bad("kafka.partitioner", "must be sarama_compat or murmur2");
    }
    if (!"latest".equals(initialOffset) && !"earliest".equals(initialOffset)) {
      throw bad("kafka.initial-offset", "must be latest or earliest, got '" + initialOffset + "'");
    }
    if (sessionTimeout == null || sessionTimeout.toMillis() < 1000) {
      throw bad("kafka.session-timeout", "must be at least 1s");
    }
    if (produceTimeout == null || produceTimeout.toMillis() < 100) {
      throw bad("kafka.produce-timeout", "must be at least 100ms");
    }
    if (tls.enabled()) {
      readable("kafka.tls.ca-file", tls.caFile());
      readable("kafka.tls.cert-file", tls.certFile());
      readable("kafka.tls.key-file", tls.keyFile());
      if (tls.certFile().isEmpty() != tls.keyFile().isEmpty()) {
        throw bad(
            tls.certFile().isEmpty() ? "kafka.tls.cert-file" : "kafka.tls.key-file",
            "goes together with "
                + (tls.certFile().isEmpty() ? "kafka.tls.key-file" : "kafka.tls.cert-file"));
      }
    } else if (!tls.caFile().isEmpty() || !tls.certFile().isEmpty() || !tls.keyFile().isEmpty()) {
      throw bad("kafka.tls.enabled", "must be true when TLS files are set");
    }
    if (sasl.enabled()) {
      if (!MECHANISMS.contains(sasl.mechanism())) {
        throw bad(
            "kafka.sasl.mechanism",
            "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '" + sasl.mechanism() + "'");
      }
      nonEmpty("kafka.sasl.username", sasl.username());
      if (sasl.password().isEmpty() == sasl.passwordFile().isEmpty()) {
        throw bad("kafka.sasl.password", "or kafka.sasl.password-file must be set, not both");
      }
      readable("kafka.sasl.password-file", sasl.passwordFile());
    } else if (!sasl.username().isEmpty()
        || !sasl.password().isEmpty()
        || !sasl.passwordFile().isEmpty()) {
      throw bad("kafka.sasl.mechanism", "must be set when kafka.sasl credentials are");
    }
    return this;
  }

  /**
   * Properties every client (consumer, producer, admin) needs: bootstrap servers, client id,
   * security protocol, TLS and SASL. Reads the client key and password files now.
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    String protocol =
        sasl.enabled()
            ? (tls.enabled() ? "SASL_SSL" : "SASL_PLAINTEXT")
            : (tls.enabled() ? "SSL" : "PLAINTEXT");
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    if (tls.enabled()) {
      if (!tls.caFile().isEmpty()) {
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.caFile());
      }
      if (!tls.certFile().isEmpty()) {
        // Kafka reads a PEM key store from one file or from inline PEM; Seam's keys name two files.
        p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(tls.certFile()));
        p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(tls.keyFile()));
      }
      if (!tls.verifyHostname()) {
        p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
      }
    }
    if (sasl.enabled()) {
      String password =
          sasl.password().isEmpty() ? firstLine(sasl.passwordFile()) : sasl.password();
      String module =
          sasl.mechanism().equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism());
      p.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          module
              + " required username="
              + quote(sasl.username())
              + " password="
              + quote(password)
              + ";");
    }
    return p;
  }

  /**
   * {@link #clientProperties()} plus what Seam's consumer needs: the group, byte-array values, no
   * automatic offset commits (Seam commits after processing), where a new group starts, the session
   * timeout, and the classic group protocol with the range assignor: it gives partition n of every
   * topic to one member when the topics have as many partitions, so that a trace's error logs reach
   * the instance that holds its spans.
   */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> p = clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, initialOffset);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    int session = (int) sessionTimeout.toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, Math.min(3000, session / 3)));
    return p;
  }

  /**
   * {@link #clientProperties()} plus what Seam's producer needs: byte-array keys and values,
   * acknowledgement by all in-sync replicas without duplicates (idempotence), {@link
   * TraceKeyPartitioner} with {@link #partitioner()}, and a delivery bound of {@link
   * #produceTimeout()}. A send waits at most a second for metadata or buffer room, since it runs on
   * a pipeline thread.
   */
  public Map<String, Object> producerProperties() {
    Map<String, Object> p = clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putAll(TraceKeyPartitioner.producerProperties(partitioner));
    int timeout = (int) produceTimeout.toMillis();
    int linger = 5;
    p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout - linger);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(1000, timeout));
    return p;
  }

  private static boolean isPort(String s) {
    try {
      int port = Integer.parseInt(s);
      return port > 0 && port < 65536;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void nonEmpty(String key, String value) {
    if (value == null || value.isBlank()) {
      throw bad(key, "must not be empty");
    }
  }

  /**
   * Kafka's legal topic names: up to 249 of {@code [a-zA-Z0-9._-]}, not {@code .} or {@code ..}.
   */
  private static void topic(String key, String name) {
    nonEmpty(key, name);
    if (name.length() > 249
        || name.equals(".")
        || name.equals("..")
        || !name.matches("[a-zA-Z0-9._-]+")) {
      throw bad(
          key,
          "must be a Kafka topic name (up to 249 of a-z, A-Z, 0-9, '.', '_', '-'), got '"
              + name
              + "'");
    }
  }

  private static void readable(String key, String file) {
    if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
      throw bad(key, "cannot read " + file);
    }
  }

  private static InvalidConfigException bad(String key, String what) {
    return new InvalidConfigException(key.substring("kafka.".length()), what);
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String firstLine(String file) {
    return read(file).lines().findFirst().orElse("").strip();
  }

  /** A JAAS option value: double-quoted, with backslashes and quotes escaped. */
  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  @Override
  public String toString() {
    return "KafkaConfig[brokers="
        + brokers
        + ", group="
        + group
        + ", topics="
        + topics
        + ", consume="
        + consume
        + ", produce="
        + produce
        + ", partitioner="
        + partitioner.configName()
        + ", clientId="
        + clientId
        + ", initialOffset="
        + initialOffset
        + ", sessionTimeout="
        + sessionTimeout
        + ", produceTimeout="
        + produceTimeout
        + ", tls="
        + tls
        + ", sasl="
        + sasl
        + "]";
  }
}
