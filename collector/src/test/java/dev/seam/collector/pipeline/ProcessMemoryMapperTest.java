package dev.seam.collector.pipeline;

import static dev.seam.collector.pipeline.Metrics.gauge;
import static dev.seam.collector.pipeline.Metrics.histogram;
import static dev.seam.collector.pipeline.Metrics.point;
import static dev.seam.collector.pipeline.Metrics.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seam.collector.model.Origin;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.Test;

/** Which reported metrics become {@code seam_process_memory_bytes}, and with what value. */
class ProcessMemoryMapperTest {

  private static final Origin GO = new Origin("gateway", "go", "node-a/4242", "gw-1");

  @Test
  void namesTheTypeOfEachMemoryMetric() {
    assertEquals("runtime", ProcessMemoryMapper.type("go.memory.used"));
    assertEquals("runtime", ProcessMemoryMapper.type("process.runtime.go.mem.heap_alloc"));
    assertEquals("resident", ProcessMemoryMapper.type("process.memory.usage"));
    assertNull(ProcessMemoryMapper.type("go.memory.allocated"));
    assertNull(ProcessMemoryMapper.type("process.memory.virtual"));
  }

  @Test
  void goMemoryUsedIsTheSumOfItsPointsAndTheLatestFigureWins() {
    Parts parts = new Parts();
    ProcessMemoryMapper mapper = new ProcessMemoryMapper(parts.telemetry);
    mapper.map(GO, sum("go.memory.used", point(1000, "stack"), point(2000, "other")));
    assertEquals(
        3000,
        parts.scrape().value("seam_process_memory_bytes", "service", "gateway", "type", "runtime"));
    mapper.map(GO, sum("process.runtime.go.mem.heap_alloc", point(700, null)));
    assertEquals(
        700,
        parts.scrape().value("seam_process_memory_bytes", "service", "gateway", "type", "runtime"));
  }

  @Test
  void aDoubleFigureIsCutToWholeBytes() {
    Parts parts = new Parts();
    new ProcessMemoryMapper(parts.telemetry).map(GO, gauge("process.memory.usage", 4096.9));
    assertEquals(
        4096,
        parts
            .scrape()
            .value("seam_process_memory_bytes", "service", "gateway", "type", "resident"));
  }

  @Test
  void otherMetricsAndMemoryMetricsWithoutNumbersAreLeftAlone() {
    Parts parts = new Parts();
    ProcessMemoryMapper mapper = new ProcessMemoryMapper(parts.telemetry);
    mapper.map(GO, sum("go.goroutine.count", point(12, null)));
    mapper.map(GO, histogram("process.memory.usage", 2));
    mapper.map(
        GO, Metric.newBuilder().setName("go.memory.used").setGauge(Gauge.newBuilder()).build());
    Scrape s = parts.scrape();
    assertEquals(0, s.find("seam_process_memory_bytes").size());
  }
}
