package dev.seam.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of load: {@code --inflight} senders (threads), each sending one group after the other
 * from a workload of its own, through the warm-up and the measured window; then the report.
 */
final class LoadRun {

  private final LoadOptions o;
  private final Exporter exporter;
  private final long start;
  private final long measureStart;
  private final long end;
  private final long timeoutNanos;
  private final RateSchedule schedule;
  private final AtomicLong sentSpans = new AtomicLong();
  private final AtomicLong lastDone;
  private final AtomicReference<String> firstError = new AtomicReference<>();

  private LoadRun(LoadOptions o, Exporter exporter) {
    this.o = o;
    this.exporter = exporter;
    this.start = System.nanoTime();
    this.measureStart = start + (long) (o.warmup * 1e9);
    this.end = measureStart + (long) (o.seconds * 1e9);
    this.timeoutNanos = (long) (o.timeout * 1e9);
    this.schedule = new RateSchedule(o.rate, start, measureStart, end);
    this.lastDone = new AtomicLong(start);
  }

  /** Sends load for the warm-up and the measured window, then prints the report. */
  static void run(LoadOptions o, Exporter exporter) throws Exception {
    new LoadRun(o, exporter).run();
  }

  private void run() throws Exception {
    PhaseCounters[] warm = new PhaseCounters[o.inflight];
    PhaseCounters[] measured = new PhaseCounters[o.inflight];
    String description = new Workload(o.seed, o.spansPerRequest).describe();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < o.inflight; w++) {
      PhaseCounters cw = warm[w] = new PhaseCounters();
      PhaseCounters cm = measured[w] = new PhaseCounters();
      Workload workload = new Workload(o.seed + 7919L * (w + 1), o.spansPerRequest);
      Thread t = new Thread(() -> send(workload, cw, cm), "load-" + w);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuAtStart = os.getProcessCpuTime();
    long pause = measureStart - System.nanoTime();
    if (pause > 0) {
      TimeUnit.NANOSECONDS.sleep(pause);
    }
    long cpuAtMeasure = os.getProcessCpuTime();
    System.out.printf(Locale.ROOT, "MEASURE_START epoch_ms=%d%n", System.currentTimeMillis());
    System.out.flush();
    for (Thread t : threads) {
      t.join();
    }
    long cpuAtEnd = os.getProcessCpuTime();
    long finished = Math.max(lastDone.get(), measureStart + 1);

    PhaseCounters m = new PhaseCounters();
    PhaseCounters all = new PhaseCounters();
    for (int w = 0; w < o.inflight; w++) {
      m.add(measured[w]);
      all.add(warm[w]);
    }
    all.add(m);
    LoadReport.print(
        o,
        description,
        m,
        all,
        (finished - measureStart) / 1e9,
        schedule.behindMaxNanos(),
        cpuAtEnd - cpuAtMeasure,
        cpuAtEnd - cpuAtStart,
        firstError.get());
  }

  /**
   * One sender: each group's trace requests one at a time, each after the previous one was answered
   * (on the rate's schedule with {@code --rate}), then its error logs. It finishes its group when
   * time is up, so no boundary call is cut in half.
   */
  private void send(Workload workload, PhaseCounters cw, PhaseCounters cm) {
    while (true) {
      if (o.maxSpans > 0 && sentSpans.get() >= o.maxSpans) {
        break;
      }
      List<byte[]> requests =
          o.callerOnly ? List.of(workload.nextCallerOnlyRequest()) : workload.nextTraceRequests();
      int[] spanCounts = workload.lastRequestSpans();
      long groupStart = System.nanoTime();
      if (o.rate <= 0 && groupStart >= end) {
        break;
      }
      boolean groupOk = true;
      boolean stop = false;
      for (int i = 0; i < requests.size(); i++) {
        byte[] body = requests.get(i);
        int spans = spanCounts[i];
        if (o.rate > 0) {
          if (i == 0 && schedule.measuredWindowFull()) {
            stop = true; // checked before taking a slot, so that no gap is left in the schedule
            break;
          }
          schedule.awaitSlot(spans);
        }
        long t0 = System.nanoTime();
        Reply reply = Reply.await(exporter.send(false, body), timeoutNanos);
        long t1 = System.nanoTime();
        sentSpans.addAndGet(spans);
        PhaseCounters c = t0 >= measureStart ? cm : cw;
        c.requests++;
        c.spansSent += spans;
        if (reply.ok()) {
          c.spansAccepted += spans - reply.rejected();
          c.rejectedSpans += reply.rejected();
        } else {
          c.failedRequests++;
          groupOk = false;
        }
        if (reply.error() != null) {
          firstError.compareAndSet(null, reply.error());
        }
        if (t0 >= measureStart) {
          c.latency(t1 - t0);
        }
        lastDone.accumulateAndGet(t1, Math::max);
      }
      if (stop) {
        break;
      }
      PhaseCounters c = groupStart >= measureStart ? cm : cw;
      if (!o.callerOnly && o.logs) {
        byte[] logs = workload.nextLogRequest();
        if (logs != null) {
          int n = workload.logRecordsIn(logs);
          Reply reply = Reply.await(exporter.send(true, logs), timeoutNanos);
          c.requests++;
          c.logsSent += n;
          if (reply.ok()) {
            c.logsAccepted += n - reply.rejected();
            c.rejectedLogs += reply.rejected();
          } else {
            c.failedRequests++;
          }
          if (reply.error() != null) {
            firstError.compareAndSet(null, reply.error());
          }
        }
      }
      if (groupOk && !o.callerOnly) {
        c.boundaryCalls += workload.boundaryCallsPerGroup();
        c.errorCalls += workload.errorCallsPerGroup();
      }
    }
  }
}
