package dev.seam.collector.testing;

import dev.seam.collector.kafka.KafkaClientLogging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real one-node Apache Kafka broker (KRaft) on loopback for a test: {@code bin/kafka-broker run}
 * as a child process, so it is the same broker the shell and the Go suite start. It stops when
 * {@link #close()} closes the script's stdin, and also when the test JVM dies (the pipe closes).
 * The first start on a machine resolves the broker's artifacts with Maven.
 */
public final class KafkaBroker implements AutoCloseable {

  /** The first start may resolve the broker's artifacts from Maven Central. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final String bootstrap;
  private final Map<String, Object> clientSettings;
  private Admin admin;

  private KafkaBroker(
      Process process, Path dir, String bootstrap, Map<String, Object> clientSettings) {
    this.process = process;
    this.dir = dir;
    this.bootstrap = bootstrap;
    this.clientSettings = clientSettings;
  }

  /**
   * Starts a broker on free loopback ports and waits until it answers; {@code settings} ({@code
   * key=value}) override lines of testing/kafka-broker/server.properties.
   */
  public static KafkaBroker start(String... settings) throws IOException, InterruptedException {
    return start(Map.of(), settings);
  }

  /**
   * Starts a broker whose client listener requires SASL/PLAIN: {@code admin} (password {@code
   * admin-secret}) is what the broker and this helper's own clients log in as, and {@code user}
   * with {@code password} is the one other account.
   */
  public static KafkaBroker startWithSaslPlain(String user, String password)
      throws IOException, InterruptedException {
    String module = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    return start(
        Map.of(
            "security.protocol",
            "SASL_PLAINTEXT",
            "sasl.mechanism",
            "PLAIN",
            "sasl.jaas.config",
            module + " username=\"admin\" password=\"admin-secret\";"),
        // The listener named PLAINTEXT speaks SASL; the controller's stays plain.
        "listener.security.protocol.map=PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
        "sasl.enabled.mechanisms=PLAIN",
        "sasl.mechanism.inter.broker.protocol=PLAIN",
        "listener.name.plaintext.plain.sasl.jaas.config="
            + module
            + " username=\"admin\" password=\"admin-secret\""
            + " user_admin=\"admin-secret\" user_"
            + user
            + "=\""
            + password
            + "\";");
  }

  private static KafkaBroker start(Map<String, Object> clientSettings, String... settings)
      throws IOException, InterruptedException {
    KafkaClientLogging.quiet();
    Path root = repositoryRoot();
    Path dir = Files.createTempDirectory("seam-kafka-broker");
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                root.resolve("bin/kafka-broker").toString(),
                "run",
                "--dir",
                dir.toString()));
    for (String s : settings) {
      command.add("--set");
      command.add(s);
    }
    Process p =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("launcher.log").toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    String bootstrap;
    try {
      bootstrap = line.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      bootstrap = null;
    }
    KafkaBroker broker = new KafkaBroker(p, dir, bootstrap, clientSettings);
    if (bootstrap == null || !bootstrap.matches("127\\.0\\.0\\.1:\\d+")) {
      String logs = broker.diagnostics();
      broker.close();
      throw new IllegalStateException(
          "the Kafka broker did not start (bin/kafka-broker run printed '"
              + bootstrap
              + "')\n"
              + logs);
    }
    try {
      int nodes =
          broker
              .admin()
              .describeCluster()
              .nodes()
              .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .size();
      if (nodes != 1) {
        throw new IllegalStateException("the broker reports " + nodes + " nodes");
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      String logs = broker.diagnostics();
      broker.close();
      throw new IllegalStateException(
          "the Kafka broker at " + bootstrap + " does not answer an admin client\n" + logs, e);
    }
    return broker;
  }

  /** {@code 127.0.0.1:port}. */
  public String bootstrap() {
    return bootstrap;
  }

  /** The broker's log file. */
  public Path log() {
    return dir.resolve("broker.log");
  }

  /** The last lines of the launcher's and the broker's logs, for a failure message. */
  public String diagnostics() {
    return "--- bin/kafka-broker ("
        + dir.resolve("launcher.log")
        + ")\n"
        + tail(dir.resolve("launcher.log"), 20)
        + "--- broker ("
        + log()
        + ")\n"
        + tail(log(), 60);
  }

  /**
   * Freezes the broker (SIGSTOP): it keeps its connections and its state but answers nothing, as a
   * broker stuck in a long pause or behind a broken network does, until {@link #resume()}.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a {@link #pause() paused} broker run again (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    String pid = Files.readString(dir.resolve("broker.pid"), StandardCharsets.UTF_8).trim();
    Process kill = new ProcessBuilder("kill", "-" + name, pid).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + pid + " failed");
    }
  }

  /** An admin client for this broker, closed with it. */
  public synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>(clientSettings);
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      admin = Admin.create(config);
    }
    return admin;
  }

  /** Creates a topic with {@code partitions} partitions and waits until every one has a leader. */
  public void createTopic(String name, int partitions) throws Exception {
    admin()
        .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
        .all()
        .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      TopicDescription d = null;
      try {
        d =
            admin()
                .describeTopics(List.of(name))
                .allTopicNames()
                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .get(name);
      } catch (ExecutionException e) {
        // The controller has the topic; the broker's metadata may not have it yet.
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (d != null
          && d.partitions().size() == partitions
          && d.partitions().stream().allMatch(p -> p.leader() != null)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topic "
                + name
                + " has no leader for every partition after "
                + ADMIN_TIMEOUT
                + ": "
                + d);
      }
      Thread.sleep(100);
    }
  }

  /**
   * A consumer of raw keys and values, without a group (for {@code assign}), that the caller
   * closes.
   */
  public KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(clientSettings);
    config.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest"));
    return new KafkaConsumer<>(config);
  }

  /** Stops the broker (its script gets EOF on stdin and stops it) and deletes its directory. */
  @Override
  public void close() {
    synchronized (this) {
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
        admin = null;
      }
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteTree(dir);
  }

  /** The directory holding bin/kafka-broker: the working directory or one of its parents. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bin/kafka-broker"))) {
        return p;
      }
    }
    throw new IllegalStateException("no bin/kafka-broker above " + Path.of("").toAbsolutePath());
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")\n";
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is no reason to fail a test.
    }
  }
}
