/**
 * The OTLP load generator ({@link OtlpLoad}, the main class of {@code seam-bench.jar}) and the
 * workload it sends ({@link Workload}, which the JMH benchmarks in {@code jmh} use too).
 *
 * <p>The workload: {@link GroupMix} says what a group holds; {@link VariantBuilder} builds its
 * variants from one trace per boundary call, written by {@link HttpTraces}, {@link GrpcTraces} or
 * {@link FfiTraces} (failing as {@link Failure} says) with what the SDKs put on spans ({@link
 * SdkSpans}), resources ({@link SdkResources}) and batches ({@link SdkBatches}); each variant is
 * encoded once as {@link GroupTemplates}, and a {@link Template} (read with {@link WireReader})
 * stamps each request with fresh ids from an {@link IdStream} and fresh times. {@link
 * OtlpJsonWriter} gives a request's OTLP/JSON form.
 *
 * <p>The load generator: {@link LoadOptions} parses the command line; an {@link Exporter} ({@link
 * GrpcExporter} or {@link HttpExporter}, started on one Vert.x context by {@link ContextExporter})
 * sends each request and gives a {@link Reply}; {@link LoadRun} runs the senders, on a {@link
 * RateSchedule} with {@code --rate}, counting into {@link PhaseCounters}, and {@link LoadReport}
 * prints the {@link ResultLine}. {@link Probe} measures how soon a new boundary shows on a metrics
 * endpoint instead.
 */
package dev.seam.bench;
