package dev.seam.collector.pipeline;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;

/**
 * The {@code pipeline} section.
 *
 * @param threads threads that decode, normalize, pair and measure; 0 means one per CPU core
 */
public record PipelineConfig(int threads) implements ComponentConfig {

  /** One thread per core. */
  public static final PipelineConfig DEFAULT = new PipelineConfig(0);

  @Override
  public void validate() {
    Checks.between("threads", threads, 0, 1024);
  }

  /** The thread count to start: {@link #threads()}, or the cores the JVM sees when it is 0. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
