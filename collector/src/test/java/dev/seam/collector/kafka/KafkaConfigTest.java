package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.component.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigTest {

  private static final KafkaConfig ON =
      new KafkaConfig(
          List.of("kafka-0:9092", "kafka-1:9092"),
          "seam",
          KafkaConfig.Topics.DEFAULT,
          true,
          PartitionHasher.SARAMA_COMPAT,
          "seam",
          KafkaConfig.Tls.NONE,
          KafkaConfig.Sasl.NONE);

  private static void refused(KafkaConfig c, String key) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, c::validate);
    String message = e.under("kafka").getMessage();
    assertTrue(
        message.startsWith("config key '" + key + "'"), "should name '" + key + "': " + message);
  }

  private static KafkaConfig with(UnaryOperator<KafkaConfig> f) {
    return f.apply(ON);
  }

  @Test
  void disabledByDefaultWithTheCollectorsTopicNames() {
    assertFalse(KafkaConfig.DISABLED.checked().enabled());
    assertEquals("otlp_spans", KafkaConfig.DISABLED.topics().spans());
    assertEquals("otlp_logs", KafkaConfig.DISABLED.topics().logs());
    assertEquals("otlp_metrics", KafkaConfig.DISABLED.topics().metrics());
    assertEquals("seam", KafkaConfig.DISABLED.group());
    assertEquals(PartitionHasher.SARAMA_COMPAT, KafkaConfig.DISABLED.partitioner());
    assertTrue(ON.checked().enabled());
  }

  @Test
  void plainConsumerAndProducerProperties() {
    Map<String, Object> c = ON.consumerProperties();
    assertEquals("kafka-0:9092,kafka-1:9092", c.get("bootstrap.servers"));
    assertEquals("PLAINTEXT", c.get("security.protocol"));
    assertEquals("seam", c.get("group.id"));
    assertEquals(false, c.get("enable.auto.commit"));
    assertEquals(
        "org.apache.kafka.common.serialization.ByteArrayDeserializer", c.get("value.deserializer"));
    Map<String, Object> p =
        with(k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    PartitionHasher.MURMUR2,
                    k.clientId(),
                    k.tls(),
                    k.sasl()))
            .producerProperties();
    assertEquals(TraceKeyPartitioner.class.getName(), p.get("partitioner.class"));
    assertEquals("murmur2", p.get(TraceKeyPartitioner.HASHER_CONFIG));
    assertEquals("all", p.get("acks"));
    assertNull(p.get("group.id"));
  }

  @Test
  void eachBadValueIsRefusedNamingItsKey() {
    refused(
        with(
            k ->
                new KafkaConfig(
                    List.of("kafka-0"),
                    k.group(),
                    k.topics(),
                    false,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.brokers");
    refused(
        with(
            k ->
                new KafkaConfig(
                    List.of("kafka-0:99999"),
                    k.group(),
                    k.topics(),
                    false,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.brokers");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    " ",
                    k.topics(),
                    false,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.group");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    new KafkaConfig.Topics("otlp spans", "l", "m"),
                    false,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.topics.spans");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    new KafkaConfig.Topics("s", "..", "m"),
                    false,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.topics.logs");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    new KafkaConfig.Topics("s", "l", ""),
                    false,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.topics.metrics");
    refused(
        with(
            k ->
                new KafkaConfig(
                    List.of(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.produce");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    null,
                    k.clientId(),
                    k.tls(),
                    k.sasl())),
        "kafka.partitioner");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    new KafkaConfig.Tls(true, "/nonexistent/ca.pem", "", "", true),
                    k.sasl())),
        "kafka.tls.ca-file");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    new KafkaConfig.Tls(false, "", "", "", true),
                    new KafkaConfig.Sasl("GSSAPI", "u", "p", ""))),
        "kafka.sasl.mechanism");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    KafkaConfig.Tls.NONE,
                    new KafkaConfig.Sasl("PLAIN", "", "p", ""))),
        "kafka.sasl.username");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    KafkaConfig.Tls.NONE,
                    new KafkaConfig.Sasl("PLAIN", "u", "", ""))),
        "kafka.sasl.password");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    KafkaConfig.Tls.NONE,
                    new KafkaConfig.Sasl("", "u", "p", ""))),
        "kafka.sasl.mechanism");
  }

  @Test
  void tlsAndSaslBecomeTheClientsSecuritySettings(@TempDir Path dir) throws Exception {
    Path ca =
        Files.writeString(
            dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
    Path cert =
        Files.writeString(
            dir.resolve("client.pem"),
            "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n");
    Path key = dir.resolve("client.key");
    refused(
        with(
            k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    new KafkaConfig.Tls(true, ca.toString(), cert.toString(), "", true),
                    k.sasl())),
        "kafka.tls.key-file");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n");
    Path password = Files.writeString(dir.resolve("password"), "s3cr\"et\nignored second line\n");
    KafkaConfig c =
        with(k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    new KafkaConfig.Tls(
                        true, ca.toString(), cert.toString(), key.toString(), false),
                    new KafkaConfig.Sasl("SCRAM-SHA-512", "seam", "", password.toString())))
            .checked();
    Map<String, Object> p = c.clientProperties();
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("PEM", p.get("ssl.truststore.type"));
    assertEquals(ca.toString(), p.get("ssl.truststore.location"));
    assertEquals("PEM", p.get("ssl.keystore.type"));
    assertTrue(p.get("ssl.keystore.certificate.chain").toString().contains("CERT"));
    assertTrue(p.get("ssl.keystore.key").toString().contains("KEY"));
    assertEquals("", p.get("ssl.endpoint.identification.algorithm"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"seam\""
            + " password=\"s3cr\\\"et\";",
        p.get("sasl.jaas.config"));
    assertFalse(c.toString().contains("s3cr"), c.toString());

    KafkaConfig plain =
        with(k ->
                new KafkaConfig(
                    k.brokers(),
                    k.group(),
                    k.topics(),
                    true,
                    k.partitioner(),
                    k.clientId(),
                    KafkaConfig.Tls.NONE,
                    new KafkaConfig.Sasl("PLAIN", "seam", "pw", "")))
            .checked();
    assertEquals("SASL_PLAINTEXT", plain.clientProperties().get("security.protocol"));
    assertTrue(
        plain
            .clientProperties()
            .get("sasl.jaas.config")
            .toString()
            .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
    assertFalse(plain.toString().contains("pw"), plain.toString());
  }
}
