package dev.seam.collector.kafka;

import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Signal;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pair.Replay;
import dev.seam.collector.pipeline.Pipeline;
import dev.seam.collector.receive.Admission;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Seam as a member of a Kafka consumer group: reads the span, log and metric topics on a thread of
 * its own and hands each record's value, one OTLP export request in protobuf, to the pipeline as if
 * it had come over OTLP ({@code protocol="kafka"}). A record that does not decode is counted and
 * skipped.
 *
 * <p><b>Time.</b> The pairing store runs on the {@link EventClock}, which this source moves record
 * by record. Span and log records wait in a buffer per partition and are processed across
 * partitions in timestamp order, as they happened; when the clock moves on by a sweep interval the
 * store is swept at once, so a backlog is paired window by window as it would have been live.
 *
 * <p><b>Offsets.</b> After each poll it commits, for each partition, the oldest record that may
 * still matter to a next owner, with a {@link HandOver} in the metadata ({@link
 * PartitionProgress}); a partition given up in a rebalance, or all of them when Seam stops, is
 * committed synchronously after its traces are taken out of the store ({@link
 * PairingStore#forget}), and its new owner reads those records again as {@link Replay replays}.
 * Nothing is lost (at least once) and a call is not counted twice across an owner change.
 *
 * <p><b>Backpressure.</b> Each record is admitted like an export ({@link Admission}); when Seam is
 * overloaded every partition is paused and the record read again once it is not.
 *
 * <p>Longer than most classes because the poll loop, the rebalance callbacks and the commits share
 * the consumer, which only its own thread may touch.
 */
public final class KafkaSource {

  private static final Logger LOG = Logger.getLogger(KafkaSource.class.getName());
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

  /** Bytes of span or log records a partition may have fetched and waiting before it is paused. */
  private static final long MAX_BUFFERED_BYTES = 4L << 20;

  private final KafkaConfig config;
  private final Pipeline pipeline;
  private final PairingStore store;
  private final PipelineMetrics accounting;
  private final Admission admission;
  private final EventClock clock;
  private final ConsumerMetrics metrics;
  private final long windowNanos;
  private final long sweepNanos;
  private final Map<String, Signal> signals = new HashMap<>();
  private final String[] pairedTopics;
  private final Consumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  // Everything below belongs to the consumer thread.
  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
  private final Map<TopicPartition, Waiting> buffers = new HashMap<>();
  private final Map<TopicPartition, Long> metricOffsets = new HashMap<>();
  private final Set<TopicPartition> owned = new HashSet<>();
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private boolean backpressured;
  private boolean commitInFlight;
  private long sweptAt = Long.MIN_VALUE;

  /**
   * @param clock the pairing store's clock, which this source moves
   * @param window the pairing window
   * @param sweepInterval how far event time may move before the store is swept
   */
  public KafkaSource(
      KafkaConfig config,
      Pipeline pipeline,
      PairingStore store,
      PipelineMetrics accounting,
      Admission admission,
      EventClock clock,
      MeterRegistry registry,
      Duration window,
      Duration sweepInterval) {
    this.config = config;
    this.pipeline = pipeline;
    this.store = store;
    this.accounting = accounting;
    this.admission = admission;
    this.clock = clock;
    this.windowNanos = window.toNanos();
    this.sweepNanos = sweepInterval.toNanos();
    KafkaConfig.Topics t = config.topics();
    signals.put(t.spans(), Signal.SPANS);
    signals.put(t.logs(), Signal.LOGS);
    signals.put(t.metrics(), Signal.METRICS);
    pairedTopics = new String[] {t.spans(), t.logs()};
    this.metrics =
        new ConsumerMetrics(registry, List.of(t.spans(), t.logs(), t.metrics()), store, clock);
    for (Signal s : Signal.values()) {
      accounting.received(s, PipelineMetrics.KAFKA, 0);
    }
    KafkaClientLogging.quiet();
    this.consumer = new KafkaConsumer<>(config.consumerProperties());
    this.thread = new Thread(this::run, "seam-kafka-consumer");
    thread.setDaemon(true);
  }

  /** Joins the group and starts reading. */
  public void start() {
    thread.start();
  }

  /**
   * Stops reading: the partitions are handed over (their traces leave the store and their offsets
   * are committed) and the consumer leaves the group. Blocks until done, at most {@code timeout}.
   */
  public void stop(Duration timeout) throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(Math.max(1, timeout.toMillis()));
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(config.topics().spans(), config.topics().logs(), config.topics().metrics()),
          new Rebalance());
      while (running) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(POLL);
        } catch (WakeupException e) {
          continue;
        } catch (KafkaException e) {
          LOG.log(Level.WARNING, "Kafka poll failed; retrying", e);
          sleep(1000);
          continue;
        }
        process(records);
        afterPoll();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "the Kafka consumer stopped", e);
    } finally {
      try {
        handOver(new ArrayList<>(owned), true);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "handing the partitions over failed", e);
      }
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing the Kafka consumer failed", e);
      }
    }
  }

  /**
   * Takes a poll's records: metric records are processed at once; span and log records wait in
   * their partition's buffer and are processed across partitions in timestamp order ({@link
   * #drain}). A partition with a full buffer is paused until it drains.
   */
  private void process(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      Waiting buffer = buffers.get(tp);
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      if (buffer != null) {
        for (ConsumerRecord<byte[], byte[]> r : list) {
          buffer.add(r);
        }
        clock.next(tp, buffer.first().timestamp());
        continue;
      }
      for (int i = 0; i < list.size(); i++) {
        ConsumerRecord<byte[], byte[]> r = list.get(i);
        if (!admit(r)) {
          // Read again once Seam can take it.
          consumer.seek(tp, r.offset());
          break;
        }
        try {
          handle(tp, null, r);
        } finally {
          admission.release(size(r));
        }
      }
    }
    drain();
  }

  /**
   * Processes the waiting span and log records, earliest first, while the clock allows ({@link
   * EventClock#mayProcess}) and Seam takes them.
   */
  private void drain() {
    while (running && !backpressured) {
      TopicPartition first = null;
      long firstTs = Long.MAX_VALUE;
      for (Map.Entry<TopicPartition, Waiting> e : buffers.entrySet()) {
        ConsumerRecord<byte[], byte[]> head = e.getValue().first();
        if (head != null && head.timestamp() < firstTs) {
          first = e.getKey();
          firstTs = head.timestamp();
        }
      }
      if (first == null || !clock.mayProcess(first, firstTs)) {
        return;
      }
      Waiting buffer = buffers.get(first);
      ConsumerRecord<byte[], byte[]> r = buffer.first();
      if (!admit(r)) {
        return;
      }
      // Handled while it is still its partition's next record: the clock stands at its time.
      try {
        handle(first, progress.get(first), r);
      } finally {
        admission.release(size(r));
      }
      buffer.removeFirst();
      if (buffer.first() == null) {
        clock.noNext(first);
      } else {
        clock.next(first, buffer.first().timestamp());
      }
    }
  }

  /** Reserves room for a record; when Seam is overloaded, pauses every partition instead. */
  private boolean admit(ConsumerRecord<byte[], byte[]> r) {
    if (admission.tryAcquire(size(r))) {
      return true;
    }
    backpressured = true;
    consumer.pause(consumer.assignment());
    return false;
  }

  private static int size(ConsumerRecord<byte[], byte[]> r) {
    return r.value() == null ? 0 : r.value().length;
  }

  /**
   * One record through the pipeline, counted. A span or log record first moves the clock to its own
   * time, and what that time has passed is ended, so that its items arrive in the store when they
   * would have live.
   */
  private void handle(TopicPartition tp, PartitionProgress pp, ConsumerRecord<byte[], byte[]> r) {
    Signal signal = signals.get(tp.topic());
    if (pp != null) {
      clock.processed(tp, r.timestamp());
      clock.advance();
      sweepIfDue();
    }
    long arrival = clock.nanos();
    Replay replay = pp == null ? Replay.NONE : pp.replayOf(r.offset());
    String reason = null;
    if (r.value() == null) {
      reason = "undecodable";
    } else {
      try {
        pipeline.export(
            signal,
            r.value(),
            OtlpFormat.PROTOBUF,
            replay == Replay.NONE ? PipelineMetrics.KAFKA : PipelineMetrics.KAFKA_REPLAY,
            replay);
      } catch (OtlpDecodeException e) {
        reason = "undecodable";
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING, "processing record " + tp + "@" + r.offset() + " failed; skipped", e);
        reason = "internal_error";
      }
    }
    if (replay != Replay.NONE) {
      metrics.record(tp.topic(), ConsumerMetrics.REPLAYED);
    } else if (reason != null) {
      // The record's outcome is counted last, as for a processed record, so that whoever sees a
      // record counted also sees what became of it.
      accounting.refusedRequest(signal.label(), PipelineMetrics.KAFKA, reason);
      metrics.record(tp.topic(), ConsumerMetrics.UNDECODABLE);
    } else {
      metrics.record(tp.topic(), ConsumerMetrics.PROCESSED);
    }
    if (pp == null) {
      metricOffsets.put(tp, r.offset());
      return;
    }
    pp.processed(r.offset(), arrival);
  }

  /** Ends what event time has moved past, once per sweep interval of event time. */
  private void sweepIfDue() {
    long now = clock.nanos();
    if (now - sweptAt >= sweepNanos || sweptAt == Long.MIN_VALUE) {
      sweptAt = now;
      store.expire();
    }
  }

  private void afterPoll() {
    for (TopicPartition tp : owned) {
      OptionalLong lag = consumer.currentLag(tp);
      long records = lag.isPresent() ? lag.getAsLong() : -1;
      metrics.lag(tp, records);
      clock.lag(tp, records);
    }
    if (backpressured && admission.overloaded() == null) {
      backpressured = false;
    }
    // What the lags say may let waiting records go: a partition found caught up holds none back.
    drain();
    clock.advance();
    sweepIfDue();
    // Fetch for a partition only while its buffer has room (and Seam takes records at all).
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (TopicPartition tp : owned) {
      Waiting buffer = buffers.get(tp);
      boolean full = buffer != null && buffer.bytes >= MAX_BUFFERED_BYTES;
      if (backpressured || full) {
        pause.add(tp);
      } else {
        resume.add(tp);
      }
    }
    consumer.pause(pause);
    consumer.resume(resume);
    commit();
  }

  /** Commits what changed, asynchronously, one commit at a time. */
  private void commit() {
    if (commitInFlight) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long settled = store.settledBefore();
    for (Map.Entry<TopicPartition, PartitionProgress> e : progress.entrySet()) {
      OffsetAndMetadata point = e.getValue().commitPoint(settled, windowNanos);
      if (point != null) {
        offsets.put(e.getKey(), point);
      }
    }
    for (Map.Entry<TopicPartition, Long> e : metricOffsets.entrySet()) {
      offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue() + 1));
    }
    metricOffsets.clear();
    if (offsets.isEmpty()) {
      return;
    }
    commitInFlight = true;
    consumer.commitAsync(
        offsets,
        (done, error) -> {
          commitInFlight = false;
          if (error != null) {
            LOG.log(Level.FINE, "committing offsets failed; the next commit carries them", error);
            for (TopicPartition tp : done.keySet()) {
              PartitionProgress pp = progress.get(tp);
              if (pp != null) {
                pp.commitFailed();
              }
            }
          }
        });
  }

  /**
   * Gives {@code partitions} up: their traces leave the store uncounted, for the next owner to read
   * again, and, when {@code commit} (a revocation, not a loss), their offsets are committed with
   * the store's state as it was when the traces left.
   */
  private void handOver(Collection<TopicPartition> partitions, boolean commit) {
    List<TopicPartition> mine = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (owned.contains(tp)) {
        mine.add(tp);
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    metrics.rebalance(commit ? ConsumerMetrics.REVOKED : ConsumerMetrics.LOST);
    List<TopicPartition> paired = new ArrayList<>();
    for (TopicPartition tp : mine) {
      if (progress.containsKey(tp)) {
        paired.add(tp);
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    if (!paired.isEmpty()) {
      PairingStore.Forgotten gone =
          store.forget(
              new RevokedTraces(config.partitioner(), pairedTopics, partitionCounts, paired));
      metrics.handedOver(gone.entries());
      for (TopicPartition tp : paired) {
        OffsetAndMetadata point = progress.get(tp).handOver(gone.settledBefore(), windowNanos);
        if (point != null) {
          offsets.put(tp, point);
        }
      }
    }
    for (TopicPartition tp : mine) {
      Long last = metricOffsets.remove(tp);
      if (last != null) {
        offsets.put(tp, new OffsetAndMetadata(last + 1));
      }
    }
    if (commit && !offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
      } catch (KafkaException e) {
        LOG.log(
            Level.WARNING,
            "committing the offsets of revoked partitions failed; their next owner reads more"
                + " again",
            e);
      }
    }
    for (TopicPartition tp : mine) {
      owned.remove(tp);
      progress.remove(tp);
      // Fetched but not processed: the next owner reads them.
      buffers.remove(tp);
      clock.revoke(tp);
      metrics.revoked(tp);
    }
  }

  private void assign(Collection<TopicPartition> partitions) {
    Set<TopicPartition> paired = new HashSet<>();
    Set<String> topics = new HashSet<>();
    for (TopicPartition tp : partitions) {
      topics.add(tp.topic());
      if (tp.topic().equals(pairedTopics[0]) || tp.topic().equals(pairedTopics[1])) {
        paired.add(tp);
      }
    }
    for (String topic : topics) {
      List<PartitionInfo> info = consumer.partitionsFor(topic);
      if (info != null) {
        partitionCounts.put(topic, info.size());
      }
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        paired.isEmpty() ? Map.of() : consumer.committed(paired, COMMIT_TIMEOUT);
    for (TopicPartition tp : partitions) {
      if (!owned.add(tp)) {
        continue;
      }
      if (paired.contains(tp)) {
        OffsetAndMetadata c = committed.get(tp);
        progress.put(tp, new PartitionProgress(c == null ? null : HandOver.parse(c.metadata())));
        buffers.put(tp, new Waiting());
        clock.assign(tp);
      }
      metrics.assigned(tp);
    }
    clock.settled();
  }

  /** A partition's fetched span or log records waiting to be processed, and their bytes. */
  private static final class Waiting {
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> records = new ArrayDeque<>();
    long bytes;

    void add(ConsumerRecord<byte[], byte[]> r) {
      records.addLast(r);
      bytes += size(r);
    }

    /** The oldest, or null. */
    ConsumerRecord<byte[], byte[]> first() {
      return records.peekFirst();
    }

    void removeFirst() {
      bytes -= size(records.pollFirst());
    }
  }

  /** The group's callbacks, which run on the consumer thread inside {@code poll}. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      handOver(partitions, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      handOver(partitions, false);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        metrics.rebalance(ConsumerMetrics.ASSIGNED);
      }
      assign(partitions);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
