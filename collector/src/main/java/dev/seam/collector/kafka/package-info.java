/**
 * Seam on Apache Kafka, on the topics the OpenTelemetry Collector's {@code kafka} exporter writes
 * ({@code otlp_spans}, {@code otlp_logs}, {@code otlp_metrics}, one OTLP export request in protobuf
 * per record): where a record key goes ({@link PartitionHasher}, {@link TraceKeyPartitioner}), how
 * an export is cut into records keyed by trace id the way the Collector cuts it ({@link
 * TraceIdSplitter}), and the client settings ({@link KafkaConfig}); Seam as a member of a consumer
 * group that feeds the pipeline on event time ({@link KafkaSource}, {@link EventClock}), handing
 * its partitions' pending halves over when they move ({@link PartitionProgress}), and as the front
 * tier that writes what its receivers accept ({@link KafkaFront}).
 */
package dev.seam.collector.kafka;
