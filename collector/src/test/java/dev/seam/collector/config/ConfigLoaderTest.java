package dev.seam.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.forward.ForwardConfig;
import dev.seam.collector.kafka.KafkaConfig;
import dev.seam.collector.kafka.PartitionHasher;
import dev.seam.collector.model.Signal;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.NormalizeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Longer than most test classes: one case per binding rule and refusal of the configuration file.
 */
class ConfigLoaderTest {

  private static final long MIB = 1024L * 1024L;

  private static ConfigException refused(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(yaml));
  }

  private static void assertNames(ConfigException e, String key) {
    assertTrue(
        e.getMessage().contains("'" + key + "'"),
        "message should name '" + key + "': " + e.getMessage());
  }

  // --- defaults ---

  @Test
  void defaults() throws ConfigException {
    SeamConfig c = ConfigLoader.load(null);
    assertEquals(4317, c.receivers().otlp().grpc().port());
    assertEquals(4318, c.receivers().otlp().http().port());
    assertEquals(9464, c.metrics().port());
    assertTrue(c.receivers().otlp().grpc().enabled());
    assertTrue(c.receivers().otlp().http().enabled());
    assertEquals("0.0.0.0", c.receivers().otlp().grpc().host());
    assertEquals(Duration.ofSeconds(10), c.pairing().window());
    assertEquals(2_000_000, c.pairing().maxPending());
    assertEquals(64, c.pairing().shards());
    assertEquals(Duration.ofMillis(500), c.pairing().sweepInterval());
    assertEquals(16 * MIB, c.receivers().otlp().grpc().maxMessageSize().bytes());
    assertEquals(16 * MIB, c.receivers().otlp().http().maxBodySize().bytes());
    assertEquals(0, c.pipeline().threads());
    assertTrue(c.boundary().operation().enabled());
    assertEquals(50, c.boundary().operation().maxPerBoundary());
    assertEquals(
        List.of("seam.allocated_bytes", "allocated_bytes"),
        c.boundary().allocatedBytesAttributes());
    assertEquals(17, c.boundary().buckets().duration().size());
    assertEquals(Duration.ofNanos(100_000), c.boundary().buckets().duration().get(0));
    assertEquals(Duration.ofSeconds(30), c.boundary().buckets().duration().get(16));
    assertEquals(Duration.ofNanos(1_000), c.boundary().buckets().overhead().get(0));
    assertEquals(Duration.ofNanos(2_500), c.boundary().buckets().overhead().get(1));
    assertEquals(64L, c.boundary().buckets().bytes().get(0).bytes());
    assertEquals(16 * MIB, c.boundary().buckets().bytes().get(9).bytes());
  }

  @Test
  void defaultsAreTheSameEveryWay() throws ConfigException {
    assertEquals(ConfigLoader.load(null), ConfigLoader.fromYaml());
    assertEquals(ConfigLoader.load(null), SeamConfig.defaults());
    assertEquals(ConfigLoader.load(null), ConfigLoader.fromYaml("", "# only a comment\n"));
  }

  // --- overrides ---

  @Test
  void yamlOverridesOnlyTheKeysItNames() throws ConfigException {
    SeamConfig c =
        ConfigLoader.fromYaml(
            "pairing:\n  window: 500ms\nreceivers:\n  otlp:\n    grpc:\n      port: 14317\n");
    assertEquals(Duration.ofMillis(500), c.pairing().window());
    assertEquals(14317, c.receivers().otlp().grpc().port());
    assertEquals(4318, c.receivers().otlp().http().port());
    assertEquals(2_000_000, c.pairing().maxPending());
    assertTrue(c.receivers().otlp().grpc().enabled());
  }

  @Test
  void laterLayersWin() throws ConfigException {
    SeamConfig c =
        ConfigLoader.fromYaml(
            "pairing:\n  window: 500ms\n  shards: 8\n", "pairing:\n  window: 2s\n");
    assertEquals(Duration.ofSeconds(2), c.pairing().window());
    assertEquals(8, c.pairing().shards());
  }

  @Test
  void booleansAndListsOverride() throws ConfigException {
    SeamConfig c =
        ConfigLoader.fromYaml(
            "boundary:\n"
                + "  operation:\n"
                + "    enabled: false\n"
                + "  allocated-bytes-attributes: [mem.alloc]\n"
                + "  buckets:\n"
                + "    duration: [1ms, 10ms]\n");
    assertFalse(c.boundary().operation().enabled());
    assertEquals(List.of("mem.alloc"), c.boundary().allocatedBytesAttributes());
    assertEquals(
        List.of(Duration.ofMillis(1), Duration.ofMillis(10)), c.boundary().buckets().duration());
  }

  // --- refusals, each naming the full key ---

  @Test
  void kafkaIsOffByDefaultAndItsSectionBindsEveryKey(@TempDir Path dir) throws Exception {
    KafkaConfig off = ConfigLoader.load(null).kafka();
    assertFalse(off.enabled());
    assertFalse(off.consumes());
    assertFalse(off.produces());
    assertEquals(KafkaConfig.Topics.DEFAULT, off.topics());
    assertEquals("seam", off.group());
    assertEquals(PartitionHasher.SARAMA_COMPAT, off.partitioner());
    assertEquals("latest", off.initialOffset());
    assertEquals(Duration.ofSeconds(45), off.sessionTimeout());
    assertEquals(Duration.ofSeconds(5), off.produceTimeout());

    Path password = dir.resolve("password");
    Files.writeString(password, "s3cret\n");
    KafkaConfig k =
        ConfigLoader.fromYaml(
                String.join(
                    "\n",
                    "kafka:",
                    "  brokers: [kafka-0:9092, ' kafka-1:9092']",
                    "  group: seam-eu",
                    "  consume: false",
                    "  produce: true",
                    "  partitioner: murmur2",
                    "  client-id: seam-front",
                    "  initial-offset: earliest",
                    "  session-timeout: 6s",
                    "  produce-timeout: 2s",
                    "  topics: {spans: s, logs: l, metrics: m}",
                    "  sasl: {mechanism: SCRAM-SHA-512, username: seam, password-file: '"
                        + password
                        + "'}",
                    ""))
            .kafka();
    assertEquals(List.of("kafka-0:9092", "kafka-1:9092"), k.brokers());
    assertEquals("seam-eu", k.group());
    assertFalse(k.consumes());
    assertTrue(k.produces());
    assertEquals(PartitionHasher.MURMUR2, k.partitioner());
    assertEquals("seam-front", k.clientId());
    assertEquals("earliest", k.initialOffset());
    assertEquals(Duration.ofSeconds(6), k.sessionTimeout());
    assertEquals(Duration.ofSeconds(2), k.produceTimeout());
    assertEquals(new KafkaConfig.Topics("s", "l", "m"), k.topics());
    assertEquals(new KafkaConfig.Sasl("SCRAM-SHA-512", "seam", "", password.toString()), k.sasl());
    assertEquals("earliest", k.consumerProperties().get("auto.offset.reset"));
    assertEquals(6000, k.consumerProperties().get("session.timeout.ms"));
    assertEquals(2000, k.producerProperties().get("delivery.timeout.ms"));
  }

  @Test
  void badKafkaValuesAreRefusedByName() {
    assertNames(refused("kafka:\n  brokers: [kafka-0]\n"), "kafka.brokers");
    assertNames(refused("kafka:\n  partitioner: fnv\n"), "kafka.partitioner");
    assertNames(refused("kafka:\n  produce: true\n"), "kafka.produce");
    assertNames(
        refused("kafka:\n  brokers: [k:9092]\n  initial-offset: middle\n"), "kafka.initial-offset");
    assertNames(refused("kafka:\n  session-timeout: 10ms\n"), "kafka.session-timeout");
    assertNames(refused("kafka:\n  topics: {logs: otlp_spans}\n"), "kafka.topics.logs");
    assertNames(
        refused("kafka:\n  sasl: {mechanism: PLAIN, username: u}\n"), "kafka.sasl.password");
    assertNames(refused("kafka:\n  tls: {ca-file: /nonexistent}\n"), "kafka.tls.enabled");
    assertNames(refused("kafka:\n  grup: seam\n"), "kafka.grup");
  }

  @Test
  void unknownKeyIsRefusedByName() {
    ConfigException e = refused("pairing:\n  windo: 5s\n");
    assertNames(e, "pairing.windo");
  }

  @Test
  void unknownTopLevelKeyIsRefusedByName() {
    assertNames(refused("pairng:\n  window: 5s\n"), "pairng");
  }

  @Test
  void durationWithoutUnitIsRefused() {
    assertNames(refused("pairing:\n  window: 10\n"), "pairing.window");
  }

  @Test
  void durationThatIsNotOneIsRefused() {
    assertNames(refused("pairing:\n  window: abc\n"), "pairing.window");
  }

  @Test
  void zeroDurationIsRefused() {
    assertNames(refused("pairing:\n  window: 0s\n"), "pairing.window");
  }

  @Test
  void portOutOfRangeIsRefused() {
    ConfigException e = refused("receivers:\n  otlp:\n    http:\n      port: 70000\n");
    assertNames(e, "receivers.otlp.http.port");
    assertTrue(e.getMessage().contains("70000"), e.getMessage());
  }

  @Test
  void portThatIsAStringIsRefused() {
    assertNames(
        refused("receivers:\n  otlp:\n    http:\n      port: \"x\"\n"), "receivers.otlp.http.port");
  }

  @Test
  void portThatIsAQuotedNumberIsRefused() {
    assertNames(refused("metrics:\n  port: \"9464\"\n"), "metrics.port");
  }

  @Test
  void portBeyondTheRangeOfALongIsRefusedNotWrapped() {
    // 2^64 + 4096: a YAML integer too big for a long must not be truncated to port 4096.
    assertNames(
        refused("receivers:\n  otlp:\n    http:\n      port: 18446744073709555712\n"),
        "receivers.otlp.http.port");
  }

  @Test
  void notABooleanIsRefused() {
    assertNames(
        refused("boundary:\n  operation:\n    enabled: yes-please\n"),
        "boundary.operation.enabled");
  }

  @Test
  void bucketsNotAscendingAreRefused() {
    ConfigException e = refused("boundary:\n  buckets:\n    duration: [1s, 500ms]\n");
    assertNames(e, "boundary.buckets.duration");
    assertTrue(e.getMessage().contains("ascending"), e.getMessage());
  }

  @Test
  void emptyBucketsAreRefused() {
    assertNames(refused("boundary:\n  buckets:\n    bytes: []\n"), "boundary.buckets.bytes");
  }

  @Test
  void scalarWhereAMappingBelongsIsRefused() {
    assertNames(refused("metrics: 5\n"), "metrics");
  }

  @Test
  void mappingWhereAScalarBelongsIsRefused() {
    assertNames(refused("pairing:\n  window:\n    seconds: 10\n"), "pairing.window");
  }

  @Test
  void listWhereAScalarBelongsIsRefused() {
    assertNames(refused("metrics:\n  host: [a, b]\n"), "metrics.host");
  }

  @Test
  void scalarWhereAListBelongsIsRefused() {
    assertNames(
        refused("boundary:\n  allocated-bytes-attributes: seam.allocated_bytes\n"),
        "boundary.allocated-bytes-attributes");
  }

  @Test
  void maxPendingOfZeroIsRefused() {
    assertNames(refused("pairing:\n  max-pending: 0\n"), "pairing.max-pending");
  }

  @Test
  void topLevelThatIsNotAMappingIsRefused() {
    ConfigException e = refused("- a\n- b\n");
    assertTrue(e.getMessage().contains("mapping"), e.getMessage());
  }

  @Test
  void invalidYamlIsRefusedWithAMessage() {
    ConfigException e = refused("pairing:\n  window: [10s\n");
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  // --- sizes and durations ---

  @ParameterizedTest(name = "max-message-size {0} -> {1}")
  @CsvSource({
    "16MiB, 16777216",
    "512KiB, 524288",
    "1048576, 1048576",
    "'\"1048576\"', 1048576",
    "2GiB, 2147483648",
    "64KB, 64000",
    "1MB, 1000000",
  })
  void sizesAreRead(String yamlValue, long bytes) throws ConfigException {
    SeamConfig c =
        ConfigLoader.fromYaml(
            "receivers:\n  otlp:\n    grpc:\n      max-message-size: " + yamlValue + "\n");
    assertEquals(bytes, c.receivers().otlp().grpc().maxMessageSize().bytes());
  }

  @Test
  void sizeBelowTheMinimumIsRefused() {
    assertNames(
        refused("receivers:\n  otlp:\n    http:\n      max-body-size: 10\n"),
        "receivers.otlp.http.max-body-size");
  }

  @Test
  void sizeThatIsNotOneIsRefused() {
    assertNames(
        refused("receivers:\n  otlp:\n    http:\n      max-body-size: lots\n"),
        "receivers.otlp.http.max-body-size");
  }

  @Test
  void sizeThatOverflowsALongIsRefusedNotWrapped() {
    // (2^34 + 1) GiB = 2^64 + 2^30 bytes: shifted in a long it wraps to exactly 1 GiB.
    assertNames(
        refused("receivers:\n  otlp:\n    grpc:\n      max-message-size: 17179869185GiB\n"),
        "receivers.otlp.grpc.max-message-size");
  }

  @Test
  void sizeWithMoreDigitsThanALongIsAConfigException() {
    assertNames(
        refused(
            "receivers:\n  otlp:\n    grpc:\n      max-message-size: 99999999999999999999MiB\n"),
        "receivers.otlp.grpc.max-message-size");
  }

  @Test
  void durationsInTheFile() throws ConfigException {
    SeamConfig c = ConfigLoader.fromYaml("pairing:\n  window: 1m\n  sweep-interval: 2.5us\n");
    assertEquals(Duration.ofMinutes(1), c.pairing().window());
    assertEquals(Duration.ofNanos(2_500), c.pairing().sweepInterval());
  }

  // --- files ---

  @Test
  void loadReadsAFile(@TempDir Path dir) throws IOException, ConfigException {
    Path file = dir.resolve("seam.yaml");
    Files.writeString(
        file,
        "pairing:\n  window: 5s\nboundary:\n  operation:\n    enabled: false\n",
        StandardCharsets.UTF_8);
    SeamConfig c = ConfigLoader.load(file);
    assertEquals(Duration.ofSeconds(5), c.pairing().window());
    assertFalse(c.boundary().operation().enabled());
    assertEquals(4317, c.receivers().otlp().grpc().port());
  }

  @Test
  void loadOfAnEmptyFileGivesTheDefaults(@TempDir Path dir) throws IOException, ConfigException {
    Path file = dir.resolve("empty.yaml");
    Files.writeString(file, "", StandardCharsets.UTF_8);
    assertEquals(SeamConfig.defaults(), ConfigLoader.load(file));
  }

  @Test
  void loadOfAMissingFileSaysWhichFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
    assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void loadNamesTheKeyOfABadValueInAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("seam.yaml");
    Files.writeString(file, "pairing:\n  windo: 5s\n", StandardCharsets.UTF_8);
    assertNames(
        assertThrows(ConfigException.class, () -> ConfigLoader.load(file)), "pairing.windo");
  }

  @Test
  void loadOfInvalidYamlSaysWhichFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "pairing: {window: 5s\n", StandardCharsets.UTF_8);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void serviceAliasesAreAMappingOfTheUsersNames() throws Exception {
    SeamConfig c =
        ConfigLoader.fromYaml(
            "normalize:\n"
                + "  service:\n"
                + "    aliases: {pricing-svc: pricing, Gateway_V2: gateway}\n"
                + "    canonical: true\n");
    assertEquals(
        Map.of("pricing-svc", "pricing", "Gateway_V2", "gateway"),
        c.normalize().service().aliases());
    assertEquals(true, c.normalize().service().canonical());
    SeamConfig d = SeamConfig.defaults();
    assertEquals(Map.of(), d.normalize().service().aliases());
    assertEquals(false, d.normalize().service().canonical());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml("normalize: {service: {aliases: [a, b]}}"));
    assertTrue(e.getMessage().contains("'normalize.service.aliases'"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml("normalize: {service: {aliases: {a: {b: c}}}}"));
    assertTrue(e.getMessage().contains("'normalize.service.aliases.a'"), e.getMessage());
  }

  @Test
  void contextBrokenDetectionIsConfigurable() throws Exception {
    SeamConfig d = SeamConfig.defaults();
    assertEquals(true, d.pairing().contextBroken().enabled());
    assertEquals(Duration.ofSeconds(1), d.pairing().contextBroken().clockTolerance());
    assertEquals(100_000, d.pairing().contextBroken().maxRoots());
    SeamConfig c =
        ConfigLoader.fromYaml(
            "pairing: {context-broken: {enabled: false, clock-tolerance: 250ms, max-roots: 10}}");
    assertEquals(false, c.pairing().contextBroken().enabled());
    assertEquals(Duration.ofMillis(250), c.pairing().contextBroken().clockTolerance());
    assertEquals(10, c.pairing().contextBroken().maxRoots());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromYaml("pairing: {context-broken: {clock-tolerance: 0s}}"));
    assertTrue(e.getMessage().contains("'pairing.context-broken.clock-tolerance'"), e.getMessage());
  }

  @Test
  void logContextFieldDefaultsAreTheExtractorsDefaults() {
    NormalizeConfig.LogContextConfig lc = SeamConfig.defaults().normalize().logContext();
    assertTrue(lc.enabled());
    assertEquals(LogContextExtractor.DEFAULT_TRACE_ID_FIELDS, lc.traceIdFields());
    assertEquals(LogContextExtractor.DEFAULT_SPAN_ID_FIELDS, lc.spanIdFields());
    assertEquals(LogContextExtractor.DEFAULT_HEADER_FIELDS, lc.headerFields());
  }

  @Test
  void forwardingIsOffByDefaultAndValidatedWhenOn() throws Exception {
    assertFalse(SeamConfig.defaults().forward().enabled());
    SeamConfig c =
        ConfigLoader.fromYaml(
            "forward: {enabled: true, endpoint: 'http://tempo:4318', protocol: grpc, signals:"
                + " [spans], compression: none, headers: {X-Scope-OrgID: team-a}}");
    ForwardConfig f = c.forward();
    assertEquals("tempo", f.endpointUri().getHost());
    assertEquals(4318, f.endpointUri().getPort());
    assertTrue(f.grpc());
    assertEquals(Set.of(Signal.SPANS), f.signalSet());
    assertFalse(f.gzip());
    assertEquals(Map.of("X-Scope-OrgID", "team-a"), f.headers());
    assertEquals(
        80,
        ConfigLoader.fromYaml("forward: {enabled: true, endpoint: 'http://loki'}")
            .forward()
            .endpointUri()
            .getPort());
    for (String[] bad :
        new String[][] {
          {"forward: {enabled: true, protocol: http/json}", "'forward.protocol'"},
          {"forward: {enabled: true, endpoint: 'tempo:4318'}", "'forward.endpoint'"},
          {"forward: {enabled: true, endpoint: 'ftp://tempo'}", "'forward.endpoint'"},
          {"forward: {enabled: true, signals: [spans, metrics]}", "'forward.signals'"},
          {"forward: {enabled: true, compression: zstd}", "'forward.compression'"},
          {"forward: {enabled: true, queue-items: 0}", "'forward.queue-items'"},
          {"forward: {enabled: true, retry: {max-elapsed: soon}}", "'forward.retry.max-elapsed'"},
          {"forward: {enabled: true, headers: [a]}", "'forward.headers'"}
        }) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), bad[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void printedConfigurationLoadsBackToTheSame() throws Exception {
    SeamConfig c =
        ConfigLoader.fromYaml(
            "pairing: {window: 2.5s, context-broken: {max-roots: 7}}",
            "boundary: {buckets: {bytes: [100, 1KiB, 5GB]}, operation: {enabled: false}}",
            "normalize: {service: {aliases: {pricing-svc: pricing}}}",
            "limits: {heap-share: 0.5}");
    assertEquals(c, ConfigLoader.fromYaml(ConfigLoader.toYaml(c)));
    assertEquals(
        SeamConfig.DEFAULT, ConfigLoader.fromYaml(ConfigLoader.toYaml(SeamConfig.DEFAULT)));
  }

  @Test
  void printedConfigurationHidesHeaderValues() throws Exception {
    SeamConfig c = ConfigLoader.fromYaml("forward: {headers: {Authorization: 'Bearer s3cret'}}");
    String yaml = ConfigLoader.toYaml(c);
    assertFalse(yaml.contains("s3cret"), yaml);
    assertTrue(yaml.contains("Authorization: '***'"), yaml);
  }

  @Test
  void valuesAreTakenAsWritten() {
    assertTrue(refused("pairing: {shards: 2.5}").getMessage().contains("must be a whole number"));
    assertTrue(refused("limits: {heap-share: '0.5'}").getMessage().contains("must be a number"));
    assertTrue(refused("auth: {metrics: 1}").getMessage().contains("must be true or false"));
    assertNames(refused("pairing: {max-pending: 3000000000}"), "pairing.max-pending");
    assertNames(refused("pairing: {window: }"), "pairing.window");
    assertNames(refused("boundary: {buckets: {bytes: [1KiB, -5]}}"), "boundary.buckets.bytes");
  }

  @Test
  void anEmptyMappingOfNamesIsReplacedWhole() throws Exception {
    SeamConfig c =
        ConfigLoader.fromYaml("forward: {headers: {A: x}}", "forward: {headers: {B: y}}");
    assertEquals(Map.of("B", "y"), c.forward().headers());
  }
}
