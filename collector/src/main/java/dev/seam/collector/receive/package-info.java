/**
 * The OTLP receivers: gRPC on 4317 and HTTP on 4318. Event loops only move bytes; inflating,
 * decoding and everything after it runs on the pipeline's worker threads. Bad input gets a clear
 * answer and is counted; it never costs another client anything.
 */
package dev.seam.collector.receive;
