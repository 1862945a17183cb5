package dev.seam.collector.config;

import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.contract.ContractsConfig;
import dev.seam.collector.expose.MetricsConfig;
import dev.seam.collector.forward.ForwardConfig;
import dev.seam.collector.kafka.KafkaConfig;
import dev.seam.collector.measure.BoundaryConfig;
import dev.seam.collector.measure.CompatConfig;
import dev.seam.collector.normalize.NormalizeConfig;
import dev.seam.collector.pair.PairingConfig;
import dev.seam.collector.pipeline.PipelineConfig;
import dev.seam.collector.receive.AuthConfig;
import dev.seam.collector.receive.ReceiversConfig;

/**
 * Everything Seam can be configured with: one record per section of the YAML file, each owned by
 * the component it configures, with its defaults and checks. {@link ConfigLoader} binds a file onto
 * {@link #DEFAULT}.
 *
 * @param receivers the OTLP receivers ({@code receive})
 * @param metrics the Prometheus endpoint ({@code expose})
 * @param pairing the pairing window and bounds ({@code pair})
 * @param normalize service names and log context ({@code normalize})
 * @param forward forwarding downstream ({@code forward})
 * @param limits when Seam refuses work to protect itself
 * @param auth who may send and scrape ({@code receive})
 * @param pipeline the threads that process exports ({@code pipeline})
 * @param boundary what the boundary metrics carry ({@code measure})
 * @param compat metrics in other tools' names ({@code measure})
 * @param kafka Kafka as the source of the data and as where the receivers write it ({@code kafka};
 *     off while no brokers are set)
 * @param contracts boundary owners, budgets and interfaces (the contract package)
 */
public record SeamConfig(
    ReceiversConfig receivers,
    MetricsConfig metrics,
    PairingConfig pairing,
    NormalizeConfig normalize,
    ForwardConfig forward,
    LimitsConfig limits,
    AuthConfig auth,
    PipelineConfig pipeline,
    BoundaryConfig boundary,
    CompatConfig compat,
    KafkaConfig kafka,
    ContractsConfig contracts)
    implements ComponentConfig {

  /** The embedded defaults: what Seam runs with when no file is given. */
  public static final SeamConfig DEFAULT =
      new SeamConfig(
          ReceiversConfig.DEFAULT,
          MetricsConfig.DEFAULT,
          PairingConfig.DEFAULT,
          NormalizeConfig.DEFAULT,
          ForwardConfig.DEFAULT,
          LimitsConfig.DEFAULT,
          AuthConfig.NONE,
          PipelineConfig.DEFAULT,
          BoundaryConfig.DEFAULT,
          CompatConfig.DEFAULT,
          KafkaConfig.DISABLED,
          ContractsConfig.DEFAULT);

  /** The embedded defaults. */
  public static SeamConfig defaults() {
    return DEFAULT;
  }
}
